// Engine benchmark: network construction, step-loop throughput and peak memory for a scenario
// (default bench/million.yaml). Prints the figures recorded in docs/performance.md.
//
//   build/bench/fourp_bench bench/million.yaml [--threads N]
#include <fmt/format.h>
#include <sys/resource.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cstring>
#include <optional>

#include "models/builtin_catalog.h"
#include "sim/model.h"
#include "sim/scenario_parse.h"
#include "sim/world.h"

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
double peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) * 1024.0;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace fourp;
  std::string file = "bench/million.yaml";
  int threads = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else
      file = argv[i];
  }
  std::optional<tbb::global_control> limit;
  if (threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, threads);

  const Catalog& catalog = models::builtin_catalog();
  Diagnostics diag;
  Scenario s = parse_scenario_file(file, catalog, {}, diag);
  if (diag.has_errors()) {
    fmt::print(stderr, "{}", diag.format());
    return 2;
  }
  // The network alone first (then freed), so that its build time is measured by itself.
  double network_s = 0;
  {
    std::vector<uint32_t> sizes;
    for (uint32_t c = 0; c < s.population.communities; ++c)
      sizes.push_back(s.population.community_size(c));
    const Layout layout = make_layout(sizes, s.population.household_size, Rng(s.seed, 0));
    auto t0 = std::chrono::steady_clock::now();
    const Network net = build_network(s.network, layout, Rng(s.seed, 0));
    network_s = seconds_since(t0);
  }
  auto t0 = std::chrono::steady_clock::now();
  const World world = build_world(s, 0, nullptr);
  const double world_s = seconds_since(t0);

  auto model = s.kind->make(s, resolve_arm(s, s.arms.front()));
  auto sim = model->start(world, Rng(s.seed, 0));
  const size_t M = s.kind->outputs.series.size(), C = world.layout.communities();
  std::vector<double> series(M), at_risk(M);
  std::vector<float> communities(M * C);
  Observation row{series, at_risk, communities};
  t0 = std::chrono::steady_clock::now();
  for (uint32_t t = 0; t < s.steps; ++t) {
    sim->step(t);
    sim->observe(row);
  }
  const double loop_s = seconds_since(t0);
  const double n = world.layout.agents;
  fmt::print("scenario            {}\n", file);
  fmt::print("agents              {}\n", world.layout.agents);
  fmt::print("ties                {} (mean degree {:.2f})\n", world.network.ties(),
             2.0 * world.network.ties() / n);
  fmt::print("world build         {:.3f} s (layout, network, initial state)\n", world_s);
  fmt::print("network build       {:.3f} s\n", network_s);
  fmt::print("step loop           {:.3f} s for {} steps\n", loop_s, s.steps);
  fmt::print("throughput          {:.1f} million agent-steps/s\n", n * s.steps / loop_s / 1e6);
  fmt::print("peak memory         {:.0f} MB = {:.0f} bytes/agent\n", peak_rss_bytes() / 1e6,
             peak_rss_bytes() / n);
  fmt::print("engaged share now   {:.4f}\n", series[4]);
  return 0;
}
