// What a release build stamps into the binary (see scripts/release.sh). Empty in development builds.
#ifndef MAMORI_BUILD_INFO_H
#define MAMORI_BUILD_INFO_H
const char *mamori_build_git_commit(void);
const char *mamori_build_date(void);
const char *mamori_build_swift_version(void);
#endif
