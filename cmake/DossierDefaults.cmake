# Compiler settings shared by every Dossier target. Call dossier_defaults(<target>) on each.
set(DOSSIER_SAN_FLAGS "")
if(DOSSIER_SANITIZE)
  set(DOSSIER_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_compile_options(${DOSSIER_SAN_FLAGS})
  add_link_options(${DOSSIER_SAN_FLAGS})
endif()
if(DOSSIER_TSAN)
  # ThreadSanitizer: the client API is called from several threads at once (a GUI's workers).
  set(DOSSIER_SAN_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
  add_compile_options(${DOSSIER_SAN_FLAGS})
  add_link_options(${DOSSIER_SAN_FLAGS})
endif()
if(DOSSIER_FUZZ)
  # Instrument every library for coverage so the fuzzers see inside them; only fuzz/ links the driver.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

function(dossier_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough)
  if(DOSSIER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# A library of src/: dossier_library(<module> SOURCES ... DEPS ...). Headers are included as
# "<module>/<file>.hpp" from src/.
function(dossier_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(dossier_${name} STATIC ${ARG_SOURCES})
  target_include_directories(dossier_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(dossier_${name} PUBLIC ${ARG_DEPS})
  dossier_defaults(dossier_${name})
endfunction()

# A GoogleTest program of tests/: dossier_test(<name> SOURCES ... DEPS ... [LABELS ...]).
# Test programs learn where the project and its npm toolchain are through compile definitions.
function(dossier_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} dossier_test_support GTest::gtest GTest::gtest_main)
  dossier_defaults(${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
endfunction()

# Every tests/<module>/test_<unit>.cpp of the calling directory becomes the GoogleTest program
# <module>_<unit>_test, labelled <module>: dossier_unit_tests(<module> DEPS ...).
function(dossier_unit_tests module)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/test_*.cpp")
  foreach(src ${tests})
    get_filename_component(name ${src} NAME_WE)
    string(REPLACE "test_" "" unit ${name})
    dossier_test(${module}_${unit}_test SOURCES ${src} DEPS ${ARG_DEPS} LABELS ${module})
  endforeach()
endfunction()

# A face of Dossier (a program people or the node run): the build fails if any of its sources or
# headers (the .cpp/.hpp files of its directory and its subfolders) includes a project header
# other than the client API's (src/dossier/client/) or its own. dossier_face(<target>).
function(dossier_face target)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cpp" "${CMAKE_CURRENT_SOURCE_DIR}/*.hpp")
  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${target}_face_includes.ok")
  string(REPLACE ";" "|" joined "${files}")
  add_custom_command(OUTPUT "${stamp}"
    COMMAND ${CMAKE_COMMAND} "-DFILES=${joined}" "-DSTAMP=${stamp}" "-DROOT=${CMAKE_CURRENT_SOURCE_DIR}"
            -P "${PROJECT_SOURCE_DIR}/cmake/CheckFaceIncludes.cmake"
    DEPENDS ${files} "${PROJECT_SOURCE_DIR}/cmake/CheckFaceIncludes.cmake"
    COMMENT "Checking that ${target} includes only the client API" VERBATIM)
  add_custom_target(${target}_face_includes DEPENDS "${stamp}")
  add_dependencies(${target} ${target}_face_includes)
endfunction()
