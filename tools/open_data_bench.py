"""The bench row "open-data ZIP built": `manage.py build_open_data` run as a schedule runs it, in a process
of its own, timed, with its peak resident memory as the kernel counts it (the whole process: Python, the
database driver's buffers, the ZIP's compressor), into a temporary directory."""

import os
import subprocess
import sys
import tempfile
import time

from django.conf import settings

from opendata.models import OpenDataBuild

TARGET_SECONDS, TARGET_MB = 60, 300


def measure_open_data():
    from tools.bench import Result  # the table's row (bench imports this module)

    with tempfile.TemporaryDirectory() as where, tempfile.TemporaryFile() as output:
        env = {key: value for key, value in os.environ.items() if not key.startswith("OPEN_DATA_STORAGE")}
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "manage.py", "build_open_data"], cwd=settings.BASE_DIR,
                                   env={**env, "OPEN_DATA_DIR": where}, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)  # the child's own resource use, peak memory included
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        output.seek(0)
        if process.returncode:
            raise RuntimeError(f"build_open_data failed: {output.read().decode()[-2000:]}")
        build = OpenDataBuild.objects.current()
        OpenDataBuild.objects.filter(pk=build.pk).delete()  # its file goes with the directory
    peak = usage.ru_maxrss / 1024  # Linux counts it in KiB
    rows = sum(table["rows"] for table in build.resources)
    return Result(
        "open-data ZIP built", note=f"{rows:,} rows of {len(build.resources)} kinds, {build.size / 2**20:,.1f} MB, "
        f"in {elapsed:.1f} s; peak RSS {peak:,.0f} MB", target=f"≤ {TARGET_SECONDS} s, ≤ {TARGET_MB} MB RSS",
        met=elapsed <= TARGET_SECONDS and peak <= TARGET_MB)
