"""Browser tests: Debian's Chromium driven by Playwright, against a real preview server."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from ..helpers import copy_real_project as copy_project, running_preview

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def served(tmp_path):
    """(project copy, base URL) of `build.py serve` running on a free port."""
    root = copy_project(tmp_path)
    with running_preview(root) as (port, _):
        yield root, f"http://127.0.0.1:{port}"
