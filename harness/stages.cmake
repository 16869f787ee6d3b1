# The harness's pipeline, one folder and one static library per stage, each with the stages it
# may use. A stage uses only stages above it in this list, so there is no cycle, and the order
# reads as the pipeline: what a run is told (config), the database (postgres), the servers, the
# load and what is sampled beside it, the results they make, the same on hosts of their own over
# SSH (remote), and what reads them back (report, plots, compare). `run` drives them all; the
# commands (harness/*.cc) sit on top.
#
# Each stage's sources may include headers of the stages named here and of no other: checked by
# check_stages.cmake when CMake configures and by the `layering` test on every test run.
set(HARNESS_STAGES util stats config http postgres servers load sampling results remote
                   calibration report plots compare run testing)
set(HARNESS_STAGE_DEPS_util "")
set(HARNESS_STAGE_DEPS_stats "")
set(HARNESS_STAGE_DEPS_config util)
set(HARNESS_STAGE_DEPS_http config util)
set(HARNESS_STAGE_DEPS_postgres config util)
set(HARNESS_STAGE_DEPS_servers config http postgres util)
set(HARNESS_STAGE_DEPS_load config util)
set(HARNESS_STAGE_DEPS_sampling config util)
set(HARNESS_STAGE_DEPS_results config load sampling util)
set(HARNESS_STAGE_DEPS_remote config load postgres results sampling util)
set(HARNESS_STAGE_DEPS_calibration config postgres sampling util)
set(HARNESS_STAGE_DEPS_report load results stats util)
set(HARNESS_STAGE_DEPS_plots report results stats util)
set(HARNESS_STAGE_DEPS_compare report results stats util)
set(HARNESS_STAGE_DEPS_run calibration config http load plots postgres remote report results
                           sampling servers stats util)
# Helpers only tests use.
set(HARNESS_STAGE_DEPS_testing config postgres util)
