// Decision-analysis benchmark (docs/performance.md, "Probabilistic sensitivity analysis"):
//  1. what drawing the uncertain parameters adds to a run: per replicate, draw θ_r, apply it to
//     the scenario and make every arm's model again (what sim/runner.cpp does), against the
//     replicate's runs themselves, on the flagship at the size given;
//  2. the decision analysis of a run: 1,000 replicates × 5 arms × 50 willingness-to-pay values
//     with 14 uncertain parameters (frontier, CEAC, EVPI, EVPPI per parameter, PRCC per arm).
//
//   build/bench/fourp_bench_decision [--size 24000] [--steps 156] [--replicates 4]  (steps ≥ 156:
//                                    the flagship snapshots week 156)
//                                    [--draws 1000] [--repeat 5]
//
// Each figure is the minimum over --repeat runs (the machine may be shared). One thread.
#include <fmt/format.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cstring>
#include <random>
#include <string>

#include "models/builtin_catalog.h"
#include "sim/decision_analysis.h"
#include "sim/model.h"
#include "sim/runner.h"
#include "sim/scenario_parse.h"
#include "sim/uncertainty.h"

using namespace fourp;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Draw θ_r, apply it and make the arms' models: the runner's work per replicate for uncertainty.
double draw_seconds(const Scenario& s, uint32_t replicates) {
  const auto t0 = std::chrono::steady_clock::now();
  size_t made = 0;
  for (uint32_t r = 0; r < replicates; ++r) {
    const Scenario drawn = with_parameters(s, draw_parameters(s, r));
    for (const Arm& arm : drawn.arms)
      made += drawn.kind->make(drawn, resolve_arm(drawn, arm)) != nullptr;
  }
  if (made != replicates * s.arms.size()) std::exit(1);
  return seconds_since(t0);
}

// Results of `draws` replicates × `arms` arms with `params` drawn parameters: cases and costs
// that depend on the parameters and on noise, as a run's would.
Results synthetic(uint32_t draws, size_t arms, size_t params) {
  Results r;
  r.total_names = {"exploited", "cost_total"};
  r.outputs = models::builtin_catalog().find("prevention")->outputs;
  r.total_names = r.outputs.outcome_names();
  const size_t exploited = *r.outputs.outcome_index("exploited");
  const size_t cost = *r.outputs.outcome_index("cost_total");
  r.baseline_arm = "arm0";
  r.replicates = draws;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z;
  for (size_t k = 0; k < params; ++k) r.parameter_names.push_back(fmt::format("model.p{}", k));
  r.parameters.assign(draws, std::vector<double>(params));
  for (auto& row : r.parameters)
    for (double& x : row) x = z(rng);
  for (size_t a = 0; a < arms; ++a) {
    ArmResult arm;
    arm.name = fmt::format("arm{}", a);
    arm.replicates.resize(draws);
    for (uint32_t d = 0; d < draws; ++d) {
      auto& t = arm.replicates[d].totals;
      t.assign(r.total_names.size(), 0.0);
      const auto& p = r.parameters[d];
      t[exploited] = 700 - 40.0 * a + 30 * p[0] - 10.0 * a * p[1] + 5 * z(rng);
      t[cost] = 250000.0 * a * (1 + 0.1 * p[2]);
    }
    r.arms.push_back(std::move(arm));
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t size = 24000, steps = 156, replicates = 4, draws = 1000;
  int repeat = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--size")) size = std::stoul(argv[i + 1]);
    if (!std::strcmp(argv[i], "--steps")) steps = std::stoul(argv[i + 1]);
    if (!std::strcmp(argv[i], "--replicates")) replicates = std::stoul(argv[i + 1]);
    if (!std::strcmp(argv[i], "--draws")) draws = std::stoul(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repeat")) repeat = std::atoi(argv[i + 1]);
  }
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);

  // 1. Drawing against running, on the flagship.
  Diagnostics diag;
  const Scenario s = parse_scenario_file(
      FOURP_SOURCE_DIR "/scenarios/rural-district.yaml", models::builtin_catalog(),
      {fmt::format("population.size={}", size), fmt::format("steps={}", steps),
       fmt::format("replicates={}", replicates)},
      diag);
  if (diag.has_errors()) {
    fmt::print(stderr, "{}", diag.format());
    return 2;
  }
  double run = 1e9, draw = 1e9;
  for (int k = 0; k < repeat; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    const Results res = run_scenario(s, {});
    run = std::min(run, seconds_since(t0));
    draw = std::min(draw, draw_seconds(s, replicates));
  }
  fmt::print(
      "flagship            {} agents, {} steps, {} arms x {} replicates, {} uncertain "
      "parameters, 1 thread\n",
      size, steps, s.arms.size(), replicates, s.uncertainty.size());
  fmt::print("run                 {:.3f} s ({:.1f} ms a replicate)\n", run, 1e3 * run / replicates);
  fmt::print("drawing parameters  {:.3f} ms a replicate: {:.3f}% of the run\n",
             1e3 * draw / replicates, 100 * draw / run);

  // 2. The decision analysis.
  const Results r = synthetic(draws, 5, 14);
  double analyse = 1e9;
  for (int k = 0; k < repeat; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto d = analyse_decision(r, WillingnessToPay{0, 10000, 50});
    analyse = std::min(analyse, seconds_since(t0));
    if (!d || d->acceptability.size() != 50 || d->evppi.size() != 14) return 1;
  }
  fmt::print("decision analysis   {:.1f} ms for {} draws x 5 arms x 50 lambdas, 14 parameters\n",
             1e3 * analyse, draws);
  return 0;
}
