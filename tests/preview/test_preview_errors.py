"""Every way reading a program can fail gives one clear paragraph (InputError), and the commands exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory import synthesize
from inventory.errors import InputError

PROGRAMS = Path(__file__).resolve().parent / "programs"
FAULTY = PROGRAMS / "faulty"
WHERE = f"The Pulumi program in {FAULTY}"


def error_of(program: Path, stack: str, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        synthesize(program, stack, **kwargs)
    assert "\n\n" not in caught.value.message
    return caught.value


def test_missing_stack_file_names_it_and_lists_the_stacks() -> None:
    error = error_of(PROGRAMS / "small", "prod")
    assert error.message == (
        f"No stack file Pulumi.prod.yaml in {PROGRAMS / 'small'}; stacks found: dev, staging. "
        "Choose one with --stack."
    )


def test_a_directory_without_pulumi_yaml_is_not_a_program(tmp_path: Path) -> None:
    error = error_of(tmp_path, "dev")
    assert error.message.startswith(f"{tmp_path} is not a Pulumi project: it has no Pulumi.yaml.")


def test_a_missing_directory_is_named(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope", "dev").message == (
        f"The program directory {tmp_path / 'nope'} does not exist or is not a directory."
    )


def test_only_python_programs_are_run(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: web\nruntime: nodejs\n")
    assert "uses the 'nodejs' runtime" in error_of(tmp_path, "dev").message


def test_invalid_stack_yaml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  p:x: [unclosed\n")
    assert error_of(tmp_path, "dev").message.startswith(f"{tmp_path / 'Pulumi.dev.yaml'} is not valid YAML:")


@pytest.mark.slow
def test_an_exception_in_the_program_gives_its_message_and_keeps_the_traceback_for_debug() -> None:
    error = error_of(FAULTY, "raise")
    assert error.message == (
        f"{WHERE} (stack raise) failed at __main__.py:13: ValueError: bucket names must be lowercase. "
        "Run with --debug for the full traceback."
    )
    assert 'raise ValueError("bucket names must be lowercase")' in error.detail


@pytest.mark.slow
def test_an_error_in_a_helper_module_names_the_helper_line_not_the_caller() -> None:
    assert error_of(FAULTY, "helper").message == (
        f"{WHERE} (stack helper) failed at naming.py:7: ValueError: 'Data Lake' is not a valid bucket name; "
        "use 'data-lake'. Run with --debug for the full traceback."
    )


@pytest.mark.slow
def test_a_duplicate_urn_fails_as_the_engine_fails_it_with_where() -> None:
    assert error_of(FAULTY, "duplicate").message == (
        f"{WHERE} (stack duplicate) failed: Duplicate resource URN "
        "'urn:pulumi:duplicate::faulty::aws:s3/bucket:Bucket::data'; try giving it a unique name "
        "(registered again at __main__.py:32). Run with --debug for the full traceback."
    )


@pytest.mark.slow
def test_a_limit_of_the_offline_model_says_so_and_names_what_is_missing() -> None:
    assert error_of(FAULTY, "model").message == (
        f"The offline model cannot preview the Pulumi program in {FAULTY} (stack model) (called at "
        "__main__.py:38): the offline model has no answer for the function acme:index/getWidget:getWidget: "
        "no model of it, and its result type (pulumi_acme.GetWidgetResult) is not in an installed provider "
        "package. This is a limitation of the offline preview, not an error in the program."
    )


@pytest.mark.slow
def test_a_run_error_gives_just_its_message() -> None:
    assert error_of(FAULTY, "runerror").message == (
        f"{WHERE} (stack runerror) failed at __main__.py:15: the stack needs an `owner` tag; set "
        "faulty:owner. Run with --debug for the full traceback."
    )


@pytest.mark.slow
def test_a_missing_package_is_named() -> None:
    assert error_of(FAULTY, "missing").message.startswith(
        f"{WHERE} (stack missing) needs the Python package 'pulumi-missing-provider' which is not "
        "installed in this environment (importing 'pulumi_missing_provider' failed)."
    )


@pytest.mark.slow
def test_an_exception_inside_apply_is_reported() -> None:
    message = error_of(FAULTY, "apply").message
    assert message.startswith(
        f"{WHERE} (stack apply) failed at __main__.py:23: KeyError: 'no quota for data-"
    )
    assert message.endswith(". Run with --debug for the full traceback.")


@pytest.mark.slow
def test_logged_errors_fail_the_run_like_the_engine() -> None:
    assert error_of(FAULTY, "logerror").message == (
        f"{WHERE} (stack logerror) failed: the program logged errors: retention below the legal minimum. "
        "Run with --debug for the full traceback."
    )


@pytest.mark.slow
def test_exiting_with_an_error_status_is_reported_with_the_output() -> None:
    error = error_of(FAULTY, "exit")
    assert error.message == (
        f"{WHERE} (stack exit) failed at __main__.py:30: the program exited with status 3. "
        "Run with --debug for the full traceback."
    )
    assert "giving up" in error.detail


@pytest.mark.slow
def test_a_program_that_does_not_finish_times_out() -> None:
    error = error_of(FAULTY, "sleep", timeout=2)
    assert error.message == (
        f"Synthesis of the Pulumi program in {FAULTY} (stack sleep) did not finish within 2 s; the program "
        "may be waiting on the network or looping. Set PREVIEW_SYNTH_TIMEOUT (seconds) to allow more time."
    )
