#include <fmt/format.h>

#include "app/commands.h"
#include "app/scenario_input.h"
#include "sim/scenario_parse.h"

namespace fourp::app {

int validate_command(const std::string& scenario, const std::vector<std::string>& sets) {
  ScenarioInput in = load_scenario(scenario, sets, false);
  fmt::print("{}", to_yaml(in.scenario));
  return 0;
}

}  // namespace fourp::app
