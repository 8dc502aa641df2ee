#include "sim/calibration_model.h"

#include <stdexcept>
#include <vector>

#include "sim/designs.h"
#include "sim/model.h"
#include "sim/runner.h"
#include "sim/uncertainty.h"

namespace fourp {

namespace {

bool is_observation(const std::string& path) {
  return path.rfind("observation.", 0) == 0;
}

}  // namespace

CalibrationModel::CalibrationModel(const CalibrationPlan& plan) : plan_(plan) {
  const Scenario& s = plan.scenario;
  if (!s.kind) throw std::invalid_argument("CalibrationModel: the plan has no scenario");
  bool found = false;
  for (size_t a = 0; a < s.arms.size(); ++a)
    if (s.arms[a].name == plan.arm) arm_ = a, found = true;
  if (!found)
    throw std::invalid_argument("CalibrationModel: the plan's arm is not in its scenario");
  if (s.network.kind == NetworkSpec::Kind::file) {
    Diagnostics diag;
    auto file = std::make_shared<NetworkFile>(read_network_file(s.network, diag));
    if (diag.has_errors()) throw InputError(diag.format());
    network_file_ = std::move(file);
  }
}

Scenario CalibrationModel::scenario_for(std::span<const double> theta, uint64_t key) const {
  if (theta.size() != plan_.parameters.size())
    throw std::invalid_argument("CalibrationModel: one value per calibrated parameter");
  Scenario s = plan_.scenario;
  Diagnostics diag;
  for (size_t k = 0; k < theta.size(); ++k)
    if (!is_observation(plan_.parameters[k].path))
      apply_setting(s, Setting{plan_.parameters[k].path, theta[k], plan_.parameters[k].loc}, diag);
  if (diag.has_errors()) throw std::invalid_argument(diag.format());
  s.seed = splitmix64((plan_.method.seed << 32) + key) & 0xFFFFFFFFu;
  return s;
}

double CalibrationModel::log_likelihood(std::span<const double> theta, uint64_t key) const {
  const Scenario s = scenario_for(theta, key);
  RunHooks hooks;  // series kept: the observation model reads them
  std::vector<double> per_replicate;
  for (uint32_t r = 0; r < plan_.method.replicates; ++r) {
    const Scenario drawn = s.uncertainty.empty() ? s : with_parameters(s, draw_parameters(s, r));
    const World world = build_world(drawn, r, network_file_.get());
    const auto model = drawn.kind->make(drawn, resolve_arm(drawn, drawn.arms[arm_]));
    const RunResult run = run_on_world(drawn, *model, world, r, hooks);
    ObservedLayout layout{
        drawn.kind->outputs.series_names(), static_cast<size_t>(drawn.steps) + 1, {}};
    for (uint32_t c = 0; c < world.layout.communities(); ++c)
      layout.community_sizes.push_back(world.layout.community_size(c));
    per_replicate.push_back(fourp::log_likelihood(plan_, layout, run, theta));
  }
  return log_mean_exp(per_replicate);
}

}  // namespace fourp
