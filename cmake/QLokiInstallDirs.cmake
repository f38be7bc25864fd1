# SPDX-License-Identifier: MIT
# Settings the install rules need before any target exists (included when QLOKI_INSTALL
# is ON, ahead of add_subdirectory(lib)).

# Installed tools find the installed libraries relative to themselves, so a prefix can be
# moved or live outside the loader's paths (/opt/qloki, $HOME/.local, a test prefix).
# Packagers who want no RUNPATH pass -DCMAKE_INSTALL_RPATH= and it is left alone. A
# library directory the loader searches anyway (/usr/lib/<triplet> for the prefix /usr,
# as in the .debs) gets none: Debian forbids a RUNPATH that only repeats it.
if(UNIX AND NOT APPLE AND NOT DEFINED CMAKE_INSTALL_RPATH
        AND NOT CMAKE_INSTALL_FULL_LIBDIR IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
    file(RELATIVE_PATH _qloki_bin_to_lib
        ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
    set(CMAKE_INSTALL_RPATH "$ORIGIN/${_qloki_bin_to_lib}")
    unset(_qloki_bin_to_lib)
endif()
