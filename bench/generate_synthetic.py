"""Time to generate the embedded default's synthetic benchmark (all languages), in
seconds and as a multiple of the reference workload (bench/reference.py).

.venv/bin/python bench/generate_synthetic.py
"""

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow_scripts"))
sys.path.insert(0, str(ROOT / "tests"))

sys.path.insert(0, str(ROOT / "bench"))

from reference import Reference  # noqa: E402

from conftest import default_synthetic_spec  # noqa: E402
from xlt.data import synthetic  # noqa: E402


def main() -> None:
    spec = default_synthetic_spec()
    reference = Reference()
    with tempfile.TemporaryDirectory() as tmp:
        total = 0.0
        for code in spec["languages"]:
            out = {key: Path(tmp) / code / key for key in synthetic.OUTPUT_KEYS}
            started = time.perf_counter()
            synthetic.generate_language(spec, code, out)
            seconds = time.perf_counter() - started
            total += seconds
            print(f"{code}: {seconds:.2f} s")
        print(f"all {len(spec['languages'])} languages: {reference(total)} (sizes {spec['sizes']})")
    reference.finish()


if __name__ == "__main__":
    main()
