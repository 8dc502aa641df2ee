#include "sim/calibration_model.h"

#include <algorithm>
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
  const auto add_arm = [&](const std::string& name) {
    if (std::find(arm_names_.begin(), arm_names_.end(), name) != arm_names_.end()) return;
    for (size_t a = 0; a < s.arms.size(); ++a)
      if (s.arms[a].name == name) {
        arms_.push_back(a);
        arm_names_.push_back(name);
        return;
      }
    throw std::invalid_argument("CalibrationModel: arm '" + name + "' is not in the scenario");
  };
  add_arm(plan.arm);
  for (const CalibrationTarget& t : plan.targets)
    if (!t.arm.empty()) add_arm(t.arm);
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

template <class F>
void CalibrationModel::each_run(std::span<const double> theta, uint64_t key, F&& f) const {
  const Scenario s = scenario_for(theta, key);
  RunHooks hooks;  // series kept: the observation model reads them
  for (uint32_t r = 0; r < plan_.method.replicates; ++r) {
    const Scenario drawn = s.uncertainty.empty() ? s : with_parameters(s, draw_parameters(s, r));
    const World world = build_world(drawn, r, network_file_.get());
    std::vector<RunResult> runs;
    for (size_t a : arms_) {
      const auto model = drawn.kind->make(drawn, resolve_arm(drawn, drawn.arms[a]));
      runs.push_back(run_on_world(drawn, *model, world, r, hooks));
    }
    ObservedLayout layout{
        drawn.kind->outputs.series_names(), static_cast<size_t>(drawn.steps) + 1, {}};
    for (uint32_t c = 0; c < world.layout.communities(); ++c)
      layout.community_sizes.push_back(world.layout.community_size(c));
    f(layout, runs);
  }
}

const RunResult& CalibrationModel::run_of(const CalibrationTarget& t,
                                          const std::vector<RunResult>& runs) const {
  if (t.arm.empty()) return runs.front();
  const auto it = std::find(arm_names_.begin(), arm_names_.end(), t.arm);
  return runs.at(static_cast<size_t>(it - arm_names_.begin()));
}

double CalibrationModel::log_likelihood(std::span<const double> theta, uint64_t key) const {
  std::vector<double> per_replicate;
  each_run(theta, key, [&](const ObservedLayout& layout, const std::vector<RunResult>& runs) {
    per_replicate.push_back(fourp::log_likelihood(
        plan_, layout,
        [&](const CalibrationTarget& t) -> const RunResult& { return run_of(t, runs); }, theta));
  });
  return log_mean_exp(per_replicate);
}

std::vector<double> CalibrationModel::target_values(std::span<const double> theta,
                                                    uint64_t key) const {
  std::vector<double> sum(plan_.targets.size(), 0.0);
  each_run(theta, key, [&](const ObservedLayout& layout, const std::vector<RunResult>& runs) {
    for (size_t i = 0; i < plan_.targets.size(); ++i) {
      const CalibrationTarget& t = plan_.targets[i];
      double v = model_value(t, layout, run_of(t, runs));
      if (!t.detection.empty())
        for (size_t k = 0; k < plan_.parameters.size(); ++k)
          if (plan_.parameters[k].path == "observation." + t.detection) v *= theta[k];
      sum[i] += v;
    }
  });
  for (double& v : sum) v /= plan_.method.replicates;
  return sum;
}

}  // namespace fourp
