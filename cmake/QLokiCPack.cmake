# SPDX-License-Identifier: MIT
# Debian packages of the installed tree: `cpack` in a build directory configured with
# -DCMAKE_INSTALL_PREFIX=/usr writes one .deb per install component, named and split as
# Debian splits a library (scripts/check-deb.sh builds them and installs them on a clean
# Debian 12):
#
#   component          package               contents
#   QLoki_Runtime      libqloki2             libqloki.so.2*
#   QLoki_Receiver     libqlokireceiver2     libqlokireceiver.so.2* (pulls in Qt HttpServer
#                                            and RE2, so applications that only log do not
#                                            need them; its own soversion, see
#                                            lib/receiver/CMakeLists.txt)
#   QLoki_Qml          qml6-module-qloki     the QML module (import QLoki), as Debian names
#                                            QML modules (qml6-module-qtquick, ...)
#   QLoki_Development  libqloki-dev          headers, libqloki.so and libqlokireceiver.so,
#                                            the CMake package config, qloki.pc
#   QLoki_Tools        qloki-tools           loki-send, loki-receiver
#   QLoki_Console      qloki-console         the Loki Console
#
# The Depends of the packages with binaries come from dpkg-shlibdeps (Debian: dpkg-dev)
# for what lies outside QLoki (Qt, snappy, zlib); the packages of this build depend on
# each other at the exact version. Every package carries the license as
# /usr/share/doc/<package>/copyright. Included by QLokiPackage.cmake.

set(CPACK_PACKAGE_NAME qloki)
set(CPACK_PACKAGE_VENDOR "The QLoki authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Each package's synopsis is the first line of its own description. CPack puts the
# project's summary in front of a component's description unless the summary is CPack's
# default, so the default is set here on purpose.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_CONTACT "QLoki authors <qloki@example.org>")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)

set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "QLoki authors <qloki@example.org>")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
# Component dependencies become Depends: <package> (= <version>).
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
# A shlibs file for the library packages, so that packages built against them get their
# Depends from dpkg-shlibdeps. (CPack warns that the QML plugin has no soname: it is a
# plugin, loaded by path, and stays out of the shlibs file as it should.)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# dpkg-shlibdeps finds QLoki's own libraries in the build tree (they are not installed on
# the build machine) and leaves them out: the component dependencies name them instead.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
    ${PROJECT_BINARY_DIR}/lib ${PROJECT_BINARY_DIR}/lib/receiver)
find_program(QLOKI_DPKG_SHLIBDEPS dpkg-shlibdeps)
mark_as_advanced(QLOKI_DPKG_SHLIBDEPS)
if(NOT QLOKI_DPKG_SHLIBDEPS)
    message(STATUS "dpkg-shlibdeps not found (Debian: dpkg-dev): cpack cannot compute the .debs' Depends")
endif()

set(_qloki_so ${PROJECT_VERSION_MAJOR})

# Lines of a control file's extended description stay under 80 columns.
function(qloki_deb_wrap out text)
    string(REGEX REPLACE "[ \n]+" ";" words "${text}")
    set(lines "")
    set(line "")
    foreach(word IN LISTS words)
        string(LENGTH "${line} ${word}" length)
        if(line AND length GREATER 78)
            string(APPEND lines "${line}\n")
            set(line "${word}")
        elseif(line)
            string(APPEND line " ${word}")
        else()
            set(line "${word}")
        endif()
    endforeach()
    set(${out} "${lines}${line}" PARENT_SCOPE)
endfunction()

# qloki_deb_component(<component> <package> <section> <shlibdeps ON|OFF>
#                     DEPENDS <components...> DESCRIPTION <synopsis> <paragraph>)
# Names the package of an install component and installs its copyright file.
macro(qloki_deb_component component package section shlibdeps)
    cmake_parse_arguments(_qdc "" "" "DEPENDS;DESCRIPTION" ${ARGN})
    string(TOUPPER ${component} _qdc_var)
    list(APPEND CPACK_COMPONENTS_ALL ${component})
    set(CPACK_DEBIAN_${_qdc_var}_PACKAGE_NAME ${package})
    set(CPACK_DEBIAN_${_qdc_var}_PACKAGE_SECTION ${section})
    set(CPACK_DEBIAN_${_qdc_var}_PACKAGE_SHLIBDEPS ${shlibdeps})
    list(GET _qdc_DESCRIPTION 0 _qdc_synopsis)
    list(GET _qdc_DESCRIPTION 1 _qdc_paragraph)
    qloki_deb_wrap(_qdc_paragraph "${_qdc_paragraph}")
    qloki_deb_wrap(_qdc_about "QLoki sends a Qt application's logs to Grafana Loki from\
 any thread without blocking it, with batching, retries, an offline buffer and a disk\
 spool. Every entry is delivered or counted as dropped with a reason.")
    set(CPACK_DEBIAN_${_qdc_var}_DESCRIPTION
        "${_qdc_synopsis}\n${_qdc_about}\n\n${_qdc_paragraph}")
    set(CPACK_COMPONENT_${_qdc_var}_DEPENDS ${_qdc_DEPENDS})
    install(FILES ${PROJECT_BINARY_DIR}/debian/copyright ${PROJECT_BINARY_DIR}/debian/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package}
        COMPONENT ${component})
endmacro()

# Debian's machine-readable copyright format, with the text of LICENSE (MIT, which
# Debian calls Expat).
file(READ ${PROJECT_SOURCE_DIR}/LICENSE _qloki_license)
string(REGEX REPLACE "^MIT License\n\n" "" _qloki_license "${_qloki_license}")
string(REGEX MATCH "Copyright \\(c\\) ([^\n]*)" _qloki_copyright "${_qloki_license}")
set(_qloki_copyright "${CMAKE_MATCH_1}")
string(REGEX REPLACE "^Copyright [^\n]*\n\n" "" _qloki_license "${_qloki_license}")
string(STRIP "${_qloki_license}" _qloki_license)
string(REGEX REPLACE "\n\n" "\n.\n" _qloki_license "${_qloki_license}")
string(REGEX REPLACE "\n" "\n " _qloki_license "${_qloki_license}")
file(WRITE ${PROJECT_BINARY_DIR}/debian/copyright
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: QLoki
Source: ${PROJECT_HOMEPAGE_URL}

Files: *
Copyright: ${_qloki_copyright}
License: Expat
 ${_qloki_license}
")

# A native package's changelog.gz: one entry that points to CHANGELOG.md. The date is
# the configure time (SOURCE_DATE_EPOCH makes it reproducible).
string(TIMESTAMP _qloki_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${PROJECT_BINARY_DIR}/debian/changelog
"qloki (${PROJECT_VERSION}) unstable; urgency=medium

  * QLoki ${PROJECT_VERSION}: the changes are listed in CHANGELOG.md in the sources.

 -- ${CPACK_DEBIAN_PACKAGE_MAINTAINER}  ${_qloki_date}
")
file(ARCHIVE_CREATE OUTPUT ${PROJECT_BINARY_DIR}/debian/changelog.gz
    PATHS ${PROJECT_BINARY_DIR}/debian/changelog
    FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
unset(_qloki_date)
set(CPACK_DEBIAN_PACKAGE_SOURCE qloki)

# The library packages run ldconfig through dpkg's trigger (CPack's postinst and postrm
# call it as well).
file(WRITE ${PROJECT_BINARY_DIR}/debian/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_QLOKI_RUNTIME_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/debian/triggers)
set(CPACK_DEBIAN_QLOKI_RECEIVER_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/debian/triggers)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_COMPONENTS_ALL "")
set(_qloki_libs QLoki_Runtime)
qloki_deb_component(QLoki_Runtime libqloki${_qloki_so} libs ON
    DESCRIPTION "Qt library that ships application logs to Grafana Loki"
        "This package holds the shared library libqloki.")
if(TARGET QLokiReceiver)
    list(APPEND _qloki_libs QLoki_Receiver)
    qloki_deb_component(QLoki_Receiver libqlokireceiver${QLOKIRECEIVER_SOVERSION} libs ON
        DESCRIPTION "Loki-compatible push and query server library for Qt"
            "This package holds the shared library libqlokireceiver (LokiReceiver), a\
 server that speaks Loki's push and query API with fault injection, for tests and\
 development.")
    # dpkg-shlibdeps finds RE2 (libre2-9) as well; named here too, for a build without it.
    set(CPACK_DEBIAN_QLOKI_RECEIVER_PACKAGE_DEPENDS "libre2-9")
endif()
qloki_deb_component(QLoki_Development libqloki-dev libdevel OFF
    DEPENDS ${_qloki_libs}
    DESCRIPTION "Qt library that ships application logs to Grafana Loki - development files"
        "This package holds the headers, the CMake package (find_package(QLoki)) and the\
 pkg-config file (qloki.pc).")
# find_package(QLoki) looks for Qt Core and Network, qloki.pc requires Qt6Core.
set(CPACK_DEBIAN_QLOKI_DEVELOPMENT_PACKAGE_DEPENDS "qt6-base-dev (>= 6.4)")
set(CPACK_DEBIAN_QLOKI_DEVELOPMENT_PACKAGE_SUGGESTS "cmake, pkg-config")
if(TARGET qlokiqml)
    qloki_deb_component(QLoki_Qml qml6-module-qloki libs ON
        DEPENDS QLoki_Runtime
        DESCRIPTION "Qt library that ships application logs to Grafana Loki - QML module"
            "This package holds the QML module: import QLoki gives QML the Loki singleton.")
endif()
if(TARGET loki-send OR TARGET loki-receiver)
    qloki_deb_component(QLoki_Tools qloki-tools utils ON
        DEPENDS ${_qloki_libs}
        DESCRIPTION "Command-line tools to send logs to Grafana Loki and to receive them"
            "loki-send ships lines to Loki the way logger(1) ships them to syslog,\
 loki-receiver is a Loki-compatible server that keeps entries in memory and injects\
 faults, for testing any Loki client.")
endif()
if(TARGET qloki-console)
    qloki_deb_component(QLoki_Console qloki-console devel ON
        DEPENDS ${_qloki_libs}
        DESCRIPTION "Desktop console to send test logs to Grafana Loki"
            "The Loki Console sends single entries and bursts through QLoki, shows the\
 buffer, retries and delivery as they happen, injects faults into its built-in receiver\
 and reads logs back.")
endif()
unset(_qloki_so)
unset(_qloki_libs)
unset(_qloki_license)
unset(_qloki_copyright)

include(CPack)
