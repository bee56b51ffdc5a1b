// Where pdh finds its shipped data and web app at run time.
#pragma once

#include <string>

namespace pdh::cli {

// The directory of shipped data (official unit lists, agency seeds): $PDH_DATA_DIR, else
// <exe>/../share/pdh/data when installed, else the source tree's data/.
std::string DataDir();
// The built web app: $PDH_WEB_DIR, else <exe>/../share/pdh/web, else the source tree's web/dist.
std::string WebDir();

}  // namespace pdh::cli
