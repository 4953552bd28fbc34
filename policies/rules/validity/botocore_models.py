"""botocore's service models, loaded lazily: botocore itself on first use, each service's model once, and
only for the services a document names (botocore's loader, without the heavier session and client layers)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape


@cache
def _loader() -> Any:
    import botocore.loaders

    return botocore.loaders.create_loader()


@cache
def available() -> frozenset[str]:
    return frozenset(_loader().list_available_services("service-2"))


@cache
def service(name: str) -> ServiceModel | None:
    """The service model, None when botocore has no such service."""
    if name not in available():
        return None
    from botocore.model import ServiceModel

    return ServiceModel(_loader().load_service_model(name, "service-2"), name)


@cache
def _operations(name: str) -> dict[str, str]:
    model = service(name)
    return {operation.lower(): operation for operation in model.operation_names} if model else {}


def operation(service_name: str, api: str) -> OperationModel | None:
    """An operation by name, case-insensitively (`createTrainingJob` -> CreateTrainingJob)."""
    found = _operations(service_name).get(api.lower())
    model = service(service_name)
    return model.operation_model(found) if found and model else None


def input_shape(service_name: str, api: str) -> Shape:
    found = operation(service_name, api)
    assert found is not None and found.input_shape is not None, (service_name, api)
    return found.input_shape


def shape(service_name: str, shape_name: str) -> Shape:
    model = service(service_name)
    assert model is not None, service_name
    return model.shape_for(shape_name)
