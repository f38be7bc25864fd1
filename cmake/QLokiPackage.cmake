# SPDX-License-Identifier: MIT
# The package QLoki installs for its consumers: the CMake package config
# (find_package(QLoki)) and qloki.pc for pkg-config. The targets' own install() rules
# live beside them (lib/, lib/receiver/, qml/, app/); this file runs after those. Every
# rule names its component (the Debian packages of QLokiCPack.cmake); `cmake --install`
# without --component installs them all.
include(CMakePackageConfigHelpers)

set(QLOKI_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/QLoki
    CACHE STRING "Where QLokiConfig.cmake is installed, relative to the prefix")
mark_as_advanced(QLOKI_INSTALL_CMAKEDIR)

# What QLokiConfig.cmake.in reports to consumers.
if(TARGET QLokiReceiver)
    set(QLOKI_HAVE_RECEIVER ON)
else()
    set(QLOKI_HAVE_RECEIVER OFF)
endif()
if(BUILD_SHARED_LIBS)
    set(QLOKI_SHARED ON)
else()
    set(QLOKI_SHARED OFF)
endif()

install(EXPORT QLokiTargets
    NAMESPACE QLoki::
    FILE QLokiTargets.cmake
    DESTINATION ${QLOKI_INSTALL_CMAKEDIR}
    COMPONENT QLoki_Development)

configure_package_config_file(
    ${CMAKE_CURRENT_LIST_DIR}/QLokiConfig.cmake.in
    ${PROJECT_BINARY_DIR}/QLokiConfig.cmake
    INSTALL_DESTINATION ${QLOKI_INSTALL_CMAKEDIR}
    NO_SET_AND_CHECK_MACRO)
write_basic_package_version_file(
    ${PROJECT_BINARY_DIR}/QLokiConfigVersion.cmake
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY SameMajorVersion)
install(FILES
        ${PROJECT_BINARY_DIR}/QLokiConfig.cmake
        ${PROJECT_BINARY_DIR}/QLokiConfigVersion.cmake
    DESTINATION ${QLOKI_INSTALL_CMAKEDIR}
    COMPONENT QLoki_Development)

# qloki.pc finds its prefix from its own location, so it stays right when the install is
# redirected (cmake --install --prefix, DESTDIR) or the prefix is moved.
set(QLOKI_PKGCONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(QLOKI_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
    file(RELATIVE_PATH _qloki_up
        ${CMAKE_INSTALL_PREFIX}/${QLOKI_PKGCONFIG_DIR} ${CMAKE_INSTALL_PREFIX})
    string(REGEX REPLACE "/$" "" _qloki_up "${_qloki_up}")
    set(QLOKI_PC_PREFIX "\${pcfiledir}/${_qloki_up}")
    unset(_qloki_up)
endif()
foreach(dir INCLUDEDIR LIBDIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
        set(QLOKI_PC_${dir} "${CMAKE_INSTALL_${dir}}")
    else()
        set(QLOKI_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
    endif()
endforeach()
if(BUILD_SHARED_LIBS)
    set(QLOKI_PC_REQUIRES_PRIVATE "")
    set(QLOKI_PC_CFLAGS "")
else()
    # A static libqloki needs its private dependencies on the consumer's link line.
    set(QLOKI_PC_REQUIRES_PRIVATE "Requires.private: Qt6Network zlib snappy")
    set(QLOKI_PC_CFLAGS " -DQLOKI_STATIC_DEFINE")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/qloki.pc.in ${PROJECT_BINARY_DIR}/qloki.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/qloki.pc DESTINATION ${QLOKI_PKGCONFIG_DIR}
    COMPONENT QLoki_Development)

# The .deb (cpack).
include(${CMAKE_CURRENT_LIST_DIR}/QLokiCPack.cmake)
