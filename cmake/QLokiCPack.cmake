# SPDX-License-Identifier: MIT
# A Debian package of the installed tree: `cpack` in a build directory configured with
# -DCMAKE_INSTALL_PREFIX=/usr writes qloki_<version>_<arch>.deb (the libraries, headers,
# CMake package config, qloki.pc, the QML module, loki-send, loki-receiver and the
# console). Its Depends line is computed by dpkg-shlibdeps (Debian: dpkg-dev) from the
# libraries the binaries link (Qt, snappy, zlib). Included by QLokiPackage.cmake.
#
# One package rather than components: the install rules carry no COMPONENT.

set(CPACK_PACKAGE_NAME qloki)
set(CPACK_PACKAGE_VENDOR "The QLoki authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "QLoki sends a Qt application's logs to Grafana Loki from any thread without\
 blocking it: batching, retries, an offline buffer and a disk spool. This package holds\
 the QLoki and QLokiReceiver libraries with their headers, CMake package config and\
 pkg-config file, the QML module (import QLoki), the loki-send and loki-receiver tools\
 and the Loki Console (qloki-console).")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_CONTACT "QLoki authors <qloki@example.org>")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)

set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "QLoki authors <qloki@example.org>")
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
# Building against the headers needs the Qt development files (find_dependency(Qt6)).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "qt6-base-dev, cmake, pkg-config")
# Depends from dpkg-shlibdeps, and a shlibs file for packages that link libqloki.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
find_program(QLOKI_DPKG_SHLIBDEPS dpkg-shlibdeps)
mark_as_advanced(QLOKI_DPKG_SHLIBDEPS)
if(NOT QLOKI_DPKG_SHLIBDEPS)
    message(STATUS "dpkg-shlibdeps not found (Debian: dpkg-dev): cpack cannot compute the .deb's Depends")
endif()

# Debian's copyright file: the license, as /usr/share/doc/<package>/copyright.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${CPACK_PACKAGE_NAME}
    RENAME copyright)

include(CPack)
