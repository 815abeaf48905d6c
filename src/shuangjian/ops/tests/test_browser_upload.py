"""Browser: a county officer uploads a 6,000-row registry file, watches the import's progress
(rows done / total) update by itself, closes the tab, and later finds the command's report.

The task runs in a Huey worker thread reading the real (SQLite) queue store, not in the request:
the queue is switched out of immediate mode for this test. The worker is held at 1,000 and at
2,000 rows until the page has shown them, so the test never depends on timing.
"""

from __future__ import annotations

import threading

import pytest

from shuangjian.conftest import save_screenshot

from .test_background import registry_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROWS = 6000


@pytest.fixture
def queue_worker():
    """Huey with its real store and one worker thread doing what `run_huey`'s workers do."""
    from django.db import connections
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False
    HUEY.flush()
    stop = threading.Event()

    def work():
        while not stop.is_set():
            task = HUEY.dequeue()
            if task is None:
                stop.wait(0.2)
                continue
            HUEY.execute(task)
        connections.close_all()

    thread = threading.Thread(target=work, name="huey-test-worker", daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(120)
    HUEY.flush()
    HUEY.immediate = True


def test_upload_shows_progress_then_the_report_and_survives_closing_the_tab(
    browser_page, make_user, queue_worker, monkeypatch, tmp_path
):
    from shuangjian.institutions.models import Institution
    from shuangjian.ops import background
    from shuangjian.ops.models import BackgroundTask
    from shuangjian.regions.services import regions_load

    regions_load()
    make_user("COUNTY", username="furong_reg", region="430102")
    reached = {n: threading.Event() for n in (1000, 2000)}
    release = {n: threading.Event() for n in (1000, 2000)}
    real_import = background.HANDLERS["import"]

    def held_import(task, progress):
        def hold(done, total, phase):
            progress(done, total, phase)
            if done in reached:
                reached[done].set()
                assert release[done].wait(120), "the test never released the worker"

        return real_import(task, hold)

    monkeypatch.setitem(background.HANDLERS, "import", held_import)
    path = tmp_path / "机构名册.csv"
    path.write_bytes(registry_csv(ROWS))

    page = browser_page
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "furong_reg")
    page.fill("#id_password", "Pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_selector("h1")
    page.goto(page.base_url + "/institutions/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("form button.primary")
    page.wait_for_url("**/ops/tasks/*/")
    assert "已提交后台任务" in page.inner_text(".messages")
    # The worker reports 1,000 rows and waits: the page (polling by itself) shows it.
    page.wait_for_function("document.querySelector('#task-counts')?.textContent.trim() === '1000 / 6000'")
    assert page.inner_text("#task-status") == "进行中" and "校验中" in page.inner_text("#task-phase")
    save_screenshot(page, "ops-upload-progress")
    release[1000].set()
    page.wait_for_function("document.querySelector('#task-counts')?.textContent.trim() === '2000 / 6000'")
    task_url = page.url
    page.close()  # the officer closes the tab while the import goes on
    release[2000].set()

    # Later: a new tab, the task list, the task — the same report as `shuangjian import institutions`.
    later = page.context.new_page()
    later.goto(page.base_url + "/ops/tasks/")
    later.click("#tasks a")
    assert later.url == task_url
    later.wait_for_selector("#task-summary", timeout=120_000)
    assert (
        later.inner_text("#task-summary")
        == f"已导入：共 {ROWS} 行，新增 {ROWS}，更新 0，跳过（重复）0，错误 0 行"
    )
    assert later.inner_text("#task-status") == "已完成" and later.inner_text("#task-counts").startswith(
        f"{ROWS} / {ROWS}"
    )
    save_screenshot(later, "ops-upload-done")
    assert Institution.objects.filter(county_id="430102").count() == ROWS
    assert BackgroundTask.objects.get().status == "SUCCEEDED"
