# Checks that every stage's sources include only headers of the stages stages.cmake allows it
# (tests and microbenchmarks may include anything). Run with -DHARNESS_DIR=<harness/> as a
# script (the `layering` test), or included by harness/CMakeLists.txt at configure time.
cmake_policy(SET CMP0057 NEW)  # if(... IN_LIST ...) when run as a script
include(${HARNESS_DIR}/stages.cmake)
set(violations "")
foreach(stage ${HARNESS_STAGES})
  file(GLOB files ${HARNESS_DIR}/${stage}/*.cc ${HARNESS_DIR}/${stage}/*.h
       ${HARNESS_DIR}/${stage}/*.cc.in)
  list(FILTER files EXCLUDE REGEX "(_test|_bench)\\.cc$")
  set(allowed ${stage} ${HARNESS_STAGE_DEPS_${stage}})
  foreach(file ${files})
    file(STRINGS ${file} includes REGEX "^#include \"[a-z_]+/")
    foreach(line ${includes})
      string(REGEX REPLACE "^#include \"([a-z_]+)/.*" "\\1" used "${line}")
      if(NOT used IN_LIST allowed)
        file(RELATIVE_PATH where ${HARNESS_DIR}/.. ${file})
        string(REPLACE ";" " " may "${HARNESS_STAGE_DEPS_${stage}}")
        list(APPEND violations "${where} includes ${used}/: stage ${stage} may use only: ${may}")
      endif()
    endforeach()
  endforeach()
endforeach()
if(violations)
  string(REPLACE ";" "\n  " text "${violations}")
  message(FATAL_ERROR "the pipeline's layering is broken (harness/stages.cmake):\n  ${text}")
endif()
