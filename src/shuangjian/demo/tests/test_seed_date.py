from shuangjian.demo.calibration import AS_OF
from shuangjian.schools.demo import SEED_AS_OF


def test_the_schools_demo_reports_the_calibrated_seed_week():
    assert SEED_AS_OF == AS_OF
