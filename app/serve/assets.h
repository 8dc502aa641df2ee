// Files compiled into the program (app/serve/embed.cmake): the web app's pages, script and
// style, so that it needs nothing from the network; and the shipped scenarios, copied into a
// new workspace.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fourp::serve {

struct Asset {
  std::string_view name;  // "app.js"
  std::string_view text;
};

// The web app's files (app/serve/web/): index.html, app.js, app.css.
const std::vector<Asset>& web_assets();
// The shipped scenarios (scenarios/), by their path below it: "rural-district.yaml",
// "sweeps/screening.yaml", …
const std::vector<Asset>& shipped_scenarios();

}  // namespace fourp::serve
