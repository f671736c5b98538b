// The values come from a header scripts/release.sh writes into its build folder and puts on the
// include path (-Xcc -I…): Swift has no compile-time environment, a generated source file would
// dirty the work tree, and -D flags that change with every commit would rebuild every module.
#include "build_info.h"
#if __has_include("mamori_build_stamp.h")
#include "mamori_build_stamp.h"
#endif

#ifndef MAMORI_GIT_COMMIT
#define MAMORI_GIT_COMMIT ""
#endif
#ifndef MAMORI_BUILD_DATE
#define MAMORI_BUILD_DATE ""
#endif
#ifndef MAMORI_SWIFT_VERSION
#define MAMORI_SWIFT_VERSION ""
#endif

const char *mamori_build_git_commit(void) { return MAMORI_GIT_COMMIT; }
const char *mamori_build_date(void) { return MAMORI_BUILD_DATE; }
const char *mamori_build_swift_version(void) { return MAMORI_SWIFT_VERSION; }
