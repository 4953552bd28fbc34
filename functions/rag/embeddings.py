"""Text -> vectors, the same way for the document processor and the retrieval function.

`EMBEDDINGS_PROVIDER=sagemaker`: the platform's Text Embeddings Inference endpoint (`EMBEDDINGS_ENDPOINT`),
called with `{"inputs": [text, ...]}` (one request per batch of `EMBEDDINGS_BATCH_SIZE` texts); it answers
one vector per input. `EMBEDDINGS_PROVIDER=bedrock`: Amazon Bedrock `BEDROCK_MODEL_ID` (Titan Text
Embeddings V2), one request per text with `dimensions` and `normalize`. Throttling and transient errors are
retried `EMBEDDINGS_MAX_RETRIES` times by botocore (standard retry mode); whatever still fails raises
`EmbeddingError`, naming the provider, so callers can record the failure and let Lambda retry the event.
Every vector is checked to have `EMBEDDINGS_DIMENSION` finite numbers: a wrong model or a garbled answer
fails loudly instead of writing vectors the index would reject or mis-rank.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

PROVIDERS = ("sagemaker", "bedrock")


class EmbeddingError(RuntimeError):
    """The embeddings service failed or answered something that is not the expected vectors."""


class EmbeddingSettingsError(ValueError):
    """An EMBEDDINGS_* environment variable is missing or invalid."""


@dataclass(frozen=True)
class EmbeddingSettings:
    provider: str
    target: str
    """The endpoint name (sagemaker) or the model id (bedrock)."""
    dimension: int
    batch_size: int = 16
    max_retries: int = 3

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EmbeddingSettings:
        provider = env.get("EMBEDDINGS_PROVIDER", "")
        if provider not in PROVIDERS:
            raise EmbeddingSettingsError(f"EMBEDDINGS_PROVIDER must be one of {PROVIDERS}, got {provider!r}")
        name = "EMBEDDINGS_ENDPOINT" if provider == "sagemaker" else "BEDROCK_MODEL_ID"
        target = env.get(name, "")
        if not target:
            raise EmbeddingSettingsError(f"environment variable {name} is not set (provider {provider})")
        return cls(
            provider=provider,
            target=target,
            dimension=_positive(env, "EMBEDDINGS_DIMENSION"),
            batch_size=_positive(env, "EMBEDDINGS_BATCH_SIZE", 16),
            max_retries=_positive(env, "EMBEDDINGS_MAX_RETRIES", 3, minimum=0),
        )

    def client_config(self) -> Config:
        return Config(retries={"max_attempts": self.max_retries, "mode": "standard"})

    @property
    def service(self) -> str:
        """The boto3 client the provider needs."""
        return "sagemaker-runtime" if self.provider == "sagemaker" else "bedrock-runtime"


def _positive(env: Mapping[str, str], name: str, default: int | None = None, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None and default is not None:
        return default
    try:
        value = int(raw or "")
    except ValueError:
        raise EmbeddingSettingsError(f"environment variable {name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise EmbeddingSettingsError(f"environment variable {name} must be >= {minimum}, got {value}")
    return value


def batches(texts: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(texts), size):
        yield texts[start : start + size]


class Embedder:
    """Embeds texts through one provider; `client` is the provider's boto3 client (see `settings.service`)."""

    def __init__(self, settings: EmbeddingSettings, client: Any) -> None:
        self.settings = settings
        self.client = client

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""
        vectors: list[list[float]] = []
        for batch in batches(texts, self.settings.batch_size):
            try:
                answer = (
                    self._sagemaker(batch) if self.settings.provider == "sagemaker" else self._bedrock(batch)
                )
            except (ClientError, BotoCoreError) as exc:
                raise EmbeddingError(f"{self._what()} failed: {exc}") from exc
            if len(answer) != len(batch):
                raise EmbeddingError(f"{self._what()} returned {len(answer)} vectors for {len(batch)} texts")
            vectors += [self._checked(vector) for vector in answer]
        return vectors

    def _what(self) -> str:
        kind = "endpoint" if self.settings.provider == "sagemaker" else "Bedrock model"
        return f"embeddings {kind} {self.settings.target}"

    def _sagemaker(self, batch: Sequence[str]) -> list[Any]:
        response = self.client.invoke_endpoint(
            EndpointName=self.settings.target,
            ContentType="application/json",
            Accept="application/json",
            Body=json.dumps({"inputs": list(batch), "truncate": True}),
        )
        answer = self._json(response["Body"].read())
        if not isinstance(answer, list):
            raise EmbeddingError(f"{self._what()} answered {type(answer).__name__}, not a list of vectors")
        return answer

    def _bedrock(self, batch: Sequence[str]) -> list[Any]:
        vectors = []
        for text in batch:
            response = self.client.invoke_model(
                modelId=self.settings.target,
                contentType="application/json",
                accept="application/json",
                body=json.dumps(
                    {"inputText": text, "dimensions": self.settings.dimension, "normalize": True}
                ),
            )
            answer = self._json(response["body"].read())
            if not isinstance(answer, dict) or "embedding" not in answer:
                raise EmbeddingError(f"{self._what()} answered without an 'embedding' field: {answer!r:.200}")
            vectors.append(answer["embedding"])
        return vectors

    def _json(self, body: bytes) -> Any:
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise EmbeddingError(f"{self._what()} answered non-JSON: {body[:200]!r}") from None

    def _checked(self, vector: Any) -> list[float]:
        size = self.settings.dimension
        if not isinstance(vector, list) or len(vector) != size:
            got = len(vector) if isinstance(vector, list) else type(vector).__name__
            raise EmbeddingError(f"{self._what()} returned a vector of {got} values; the index needs {size}")
        if not all(
            isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in vector
        ):
            raise EmbeddingError(f"{self._what()} returned a vector with non-numeric or non-finite values")
        return [float(x) for x in vector]
