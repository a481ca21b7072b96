"""The playground page at ``/``, in a real headless browser: Debian's Chromium, driven by Playwright.

The page is served by uvicorn as under ``codescribe serve``; generations go through the offline engine and through
the scripted loopback server (a provider whose answer trickles in, so the stream is seen arriving, and whose
answers carry HTML that must never run).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator

import pytest

from tests.scripted_server import Reply, ScriptedLLMServer

from .support import ANSWER

playwright = pytest.importorskip("playwright.sync_api", reason="the dev extra installs Playwright")
CHROMIUM = os.environ.get("CODESCRIBE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium: apt-get install chromium")
BROKEN = "def broken(:\n    pass\n"


@pytest.fixture(scope="module")
def browser() -> Iterator[playwright.Browser]:
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: playwright.Browser) -> Iterator[playwright.Page]:
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    yield opened
    context.close()
    # an error answer (4xx) is logged by Chromium as a failed load; anything else is the page's own fault
    assert [problem for problem in problems if "Failed to load resource" not in problem] == []


def open_playground(page: playwright.Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-state=ready]")


def test_the_playground_documents_an_example_with_the_offline_engine(
    page: playwright.Page, serve: Callable[..., str]
) -> None:
    open_playground(page, serve())
    page.select_option("#example", "calc.py")
    page.select_option("#doc-type", "api")
    page.click("#generate")
    page.wait_for_selector("body[data-state=done]")

    assert page.input_value("#filename") == "calc.py"
    assert page.inner_text("#document h1") == "API reference: calc.py"
    assert any("Accumulator" in heading for heading in page.locator("#document h2, #document h3").all_inner_texts())
    assert page.locator("#document code", has_text="add").count() >= 1  # rendered Markdown, not the raw text
    assert page.inner_text("#grade") in {"A", "B", "C", "D", "F"}
    assert page.locator("#breakdown tbody tr").count() >= 4
    assert page.inner_text("[data-field=Provider]") == "offline"
    assert "# " in page.text_content("#markdown")  # the Markdown itself, under its toggle


def test_the_playground_streams_a_model_answer_as_it_arrives_and_never_runs_its_html(
    page: playwright.Page, serve: Callable[..., str], upstream: ScriptedLLMServer
) -> None:
    upstream.push(Reply(trickle=1500.0))  # the answer's events arrive over about two seconds
    open_playground(page, serve(LLM_PROVIDER="openai"))
    page.fill("#code", "def add(a, b):\n    return a + b\n")
    page.click("#generate")

    # part of the document is on the page, rendered, while the stream is still open
    page.wait_for_selector("body[data-state=streaming] #document h1")
    partial = page.text_content("#markdown") or ""
    page.wait_for_selector("body[data-state=done]")

    assert 0 < len(partial) < len(ANSWER)
    assert page.text_content("#markdown") == ANSWER
    assert page.inner_text("#document h1") == "Calculator"
    assert page.locator("#document table td", has_text="add").count() == 1
    assert page.inner_text("[data-field=Provider]") == "openai"
    assert page.inner_text("[data-field=Model]") == "gpt-6.1-sol"
    assert "$" in page.inner_text("[data-field=Cost]") or "not priced" in page.inner_text("[data-field=Cost]")
    # the answer's HTML is shown as text: no element of it exists, nothing of it ran, the link is not a link
    assert page.locator("#document img, #document script, #document a").count() == 0
    assert "<img src=x" in page.inner_text("#document")
    assert page.title() == "CodeScribe playground"


def test_done_is_shown_only_once_the_whole_document_is_rendered(
    page: playwright.Page, serve: Callable[..., str], upstream: ScriptedLLMServer
) -> None:
    # Each render takes 0.4 s here: the stream's `complete` arrives while one is running. The page said
    # "done" with the last render still to come (the full run's load made it so, and the test that read
    # the document at "done" failed); a render asked for during another must be waited for too.
    def slow(route: playwright.Route) -> None:
        time.sleep(0.4)
        route.continue_()

    upstream.push(Reply(trickle=3000.0))
    open_playground(page, serve(LLM_PROVIDER="openai"))
    page.route("**/api/render", slow)
    page.fill("#code", "def add(a, b):\n    return a + b\n")
    page.click("#generate")
    page.wait_for_selector("body[data-state=done]")

    assert page.locator("#document h2", has_text="Example").count() == 1  # the answer's last section
    assert page.locator("#document pre code", has_text="add(1, 2)").count() == 1


def test_the_playground_shows_a_rate_limit_with_when_to_try_again(
    page: playwright.Page, serve: Callable[..., str], upstream: ScriptedLLMServer
) -> None:
    upstream.push(Reply(429, headers={"retry-after": "7"}, body={"error": {"message": "slow down"}}))
    open_playground(page, serve(LLM_PROVIDER="openai"))
    page.fill("#code", "x = 1\n")
    page.click("#generate")
    page.wait_for_selector("body[data-state=error]")

    shown = page.inner_text("#error")
    assert shown.startswith("RATE_LIMIT")
    assert "Try again in 7 s." in shown
    assert "Request id:" in shown
    assert page.is_enabled("#generate")


def test_the_playground_shows_an_error_event_and_a_refused_request(
    page: playwright.Page, serve: Callable[..., str], upstream: ScriptedLLMServer
) -> None:
    url = serve(LLM_PROVIDER="openai")
    upstream.push(Reply(stream_error={"error": {"type": "server_error", "message": "the model fell over"}}))
    open_playground(page, url)
    page.fill("#code", "x = 1\n")
    page.click("#generate")
    page.wait_for_selector("body[data-state=error]")
    assert "the model fell over" in page.inner_text("#error")

    # the offline engine cannot add docstrings to code that does not parse: the service's 422, on the page
    page.select_option("#provider", "offline")
    page.select_option("#doc-type", "docstrings")
    page.fill("#code", BROKEN)
    page.click("#generate")
    page.wait_for_selector("body[data-state=error]")
    assert "the model fell over" not in page.inner_text("#error")
    assert page.is_visible("#error")


def test_the_playground_asks_for_the_token_when_the_service_has_one(
    page: playwright.Page, serve: Callable[..., str]
) -> None:
    open_playground(page, serve(CODESCRIBE_API_TOKEN="playground-token", CODESCRIBE_ALLOWED_MODELS="m1"))
    assert page.is_hidden("#model-label")  # the models are behind the token
    page.select_option("#example", "retry.go")
    page.click("#generate")
    page.wait_for_selector("body[data-state=error]")
    assert page.inner_text("#error").startswith("UNAUTHORIZED")

    page.fill("#token", "playground-token")
    page.dispatch_event("#token", "change")
    page.wait_for_selector("#model-label:not([hidden])")
    page.click("#generate")
    page.wait_for_selector("body[data-state=done]")
    assert page.is_hidden("#error")
    assert "Do" in page.inner_text("#document")


def test_a_new_generation_clears_the_last_one_even_when_it_is_refused(
    page: playwright.Page, serve: Callable[..., str]
) -> None:
    # helper-22: with the code box emptied, Generate said so but left the last document and grade on the page.
    open_playground(page, serve())
    page.select_option("#example", "calc.py")
    page.click("#generate")
    page.wait_for_selector("body[data-state=done]")
    page.fill("#code", "")
    page.click("#generate")

    page.wait_for_selector("body[data-state=error]")
    assert page.inner_text("#error").startswith("VALIDATION")
    assert page.is_hidden("#quality")
    assert page.inner_text("#document") == ""
