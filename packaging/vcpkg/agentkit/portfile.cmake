# vcpkg overlay port for agentkit. From a checkout:
#   vcpkg install agentkit --overlay-ports=packaging/vcpkg
# It installs from the checkout this overlay lives in (set AGENTKIT_SOURCE to use another one).
if(NOT DEFINED ENV{AGENTKIT_SOURCE})
  get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
else()
  set(SOURCE_PATH "$ENV{AGENTKIT_SOURCE}")
endif()

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    sqlite AGENTKIT_WITH_SQLITE
    http   AGENTKIT_WITH_HTTP
    yaml   AGENTKIT_WITH_YAML
    compiled AGENTKIT_SEPARATE_COMPILATION)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS ${FEATURE_OPTIONS} -DAGENTKIT_BUILD_TESTS=OFF -DAGENTKIT_BUILD_EXAMPLES=OFF -DAGENTKIT_BUILD_BENCH=OFF)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH share/cmake/agentkit)
if("compiled" IN_LIST FEATURES)
  # Static libraries (docs/packaging.md, "Header-only or compiled once"): keep lib/ and debug/lib/.
  file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
else()
  file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug" "${CURRENT_PACKAGES_DIR}/lib")
endif()
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
