# Run by CTest after the Catch2 test list is included: gives every test a CTest label for each of
# its Catch2 tags, so that `ctest -L browser`, `ctest -L report` or `ctest -LE slow` select by
# tag. Catch2 2.13's catch_discover_tests cannot do this itself (ADD_TAGS_AS_LABELS is a Catch2 3
# option). Expects FOURP_TESTS_EXE; does nothing when the test program is not built yet.
if(NOT EXISTS "${FOURP_TESTS_EXE}")
  return()
endif()
# (Catch2 2 exits with the number of tags listed, so the exit status says nothing here.)
execute_process(COMMAND "${FOURP_TESTS_EXE}" --list-tags OUTPUT_VARIABLE tag_list ERROR_QUIET)
string(REGEX MATCHALL "\\[[^]\n]+\\]" tags "${tag_list}")
# A test with several tags gets all of them as labels: set_tests_properties replaces LABELS, so
# the labels of each test are gathered first and set once.
set(all_names "")
foreach(tag IN LISTS tags)
  string(REGEX REPLACE "^\\[(.*)\\]$" "\\1" label "${tag}")
  execute_process(COMMAND "${FOURP_TESTS_EXE}" "${tag}" --list-test-names-only
                  OUTPUT_VARIABLE names ERROR_QUIET)
  # One name a line. In CTest's reading of test files, set_tests_properties ignores names that
  # are no test (a name with a ';', which the discovery split).
  string(REPLACE ";" "\\;" names "${names}")
  string(REPLACE "\n" ";" names "${names}")
  foreach(name IN LISTS names)
    if(NOT name STREQUAL "")
      string(MD5 key "${name}")
      if(NOT DEFINED labels_${key})
        list(APPEND all_names "${name}")
      endif()
      list(APPEND labels_${key} "${label}")
    endif()
  endforeach()
endforeach()
foreach(name IN LISTS all_names)
  string(MD5 key "${name}")
  set_tests_properties("${name}" PROPERTIES LABELS "${labels_${key}}")
endforeach()
