#include "app/calibrate_command.h"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <CLI/CLI.hpp>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <numeric>

#include "app/mpi_sweep.h"
#include "models/builtin_catalog.h"
#include "output/calibration_journal.h"
#include "output/calibration_results.h"
#include "output/results_file.h"
#include "sim/calibration_model.h"
#include "sim/quantile.h"
#include "sim/scenario_parse.h"
#include "sim/smc.h"

namespace fourp::app {

namespace fs = std::filesystem;

namespace {

// Particles whose runs give the posterior predictive bands: every particle up to this many.
constexpr uint32_t kPredictiveParticles = 100;
// Evaluation keys of the predictive runs: above every key the sampler uses (its keys are below
// 2^64 / 2: generation < 2^24 shifted by 40).
constexpr uint64_t kPredictiveKey = uint64_t{1} << 63;

// The p-quantile of values with weights (sorted by value; the first whose cumulative weight
// reaches p).
double weighted_quantile(std::vector<std::pair<double, double>> vw, double p) {
  std::sort(vw.begin(), vw.end());
  double total = 0;
  for (const auto& [v, w] : vw) total += w;
  double cumulative = 0;
  for (const auto& [v, w] : vw) {
    cumulative += w;
    if (cumulative >= p * total) return v;
  }
  return vw.empty() ? std::nan("") : vw.back().first;
}

std::pair<double, double> band90(const SmcGeneration& g, size_t j) {
  const std::vector<double> w = smc_weights(g);
  std::vector<std::pair<double, double>> vw;
  for (size_t i = 0; i < w.size(); ++i) vw.emplace_back(g.theta[i * g.dimension + j], w[i]);
  return {weighted_quantile(vw, 0.05), weighted_quantile(vw, 0.95)};
}

std::string describe_target(const CalibrationTarget& t) {
  std::string group = "everyone";
  if (!t.communities.empty()) group = fmt::format("communities {}", fmt::join(t.communities, ", "));
  if (!t.arm.empty()) group += fmt::format(" (arm {})", t.arm);
  if (t.kind == CalibrationTarget::Kind::survey)
    return fmt::format("{}, {}, step {} ({} of {} said yes)", t.metric, group, t.step, t.yes,
                       t.respondents);
  return fmt::format("{}{}, {}, steps {}-{} ({} recorded)", t.metric,
                     t.detection.empty() ? "" : " recorded", group, t.first + 1, t.last, t.count);
}

}  // namespace

int calibrate_command(const CalibrateArgs& args) {
  // Under MPI every rank runs the same sampler on the same evaluations (each computes its share
  // of every batch and they add them up: sim/smc.h BatchEvaluator), so every rank holds every
  // generation; rank 0 alone prints, journals and writes.
  const MpiSession session("calibration");
  const MpiWorld& mpi = session.world;
  const bool lead = session.lead();
  const bool quiet = args.quiet || !lead;

  Diagnostics diag;
  CalibrationPlan plan;
  const fs::path out = args.output.empty()
                           ? fs::path(fs::path(args.calibration).stem().string() + ".h5")
                           : fs::path(args.output);
  if (auto status = read_on_every_rank(session, [&] {
        plan = parse_calibration_file(args.calibration, models::builtin_catalog(), diag);
        if (diag.has_errors()) throw InputError(diag.format());
        if (lead) check_output_path(out, args.overwrite);  // fail in a second, not after it all
      }))
    return *status;
  if (!quiet && !diag.all().empty()) fmt::print(stderr, "{}", diag.format());

  std::optional<tbb::global_control> limit;
  if (args.threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, args.threads);

  const CalibrationModel model(plan);
  std::vector<ParameterDistribution> priors;
  for (const UncertainParameter& p : plan.parameters) priors.push_back(p.dist);
  SmcSettings settings;
  settings.particles = plan.method.particles;
  settings.seed = plan.method.seed;
  settings.max_generations = plan.method.max_generations;
  const LogLikelihood log_likelihood = [&](std::span<const double> theta, uint64_t key) {
    return model.log_likelihood(theta, key);
  };
  SmcSampler sampler(priors, settings, log_likelihood);
  if (mpi.active)
    sampler.set_evaluator([&](std::span<const double> thetas, std::span<const uint64_t> keys,
                              std::span<double> values) {
      evaluate_batch(log_likelihood, thetas, keys, values, static_cast<uint32_t>(mpi.rank),
                     static_cast<uint32_t>(mpi.size));
      mpi_sum(values);
    });

  if (!quiet)
    fmt::print(stderr,
               "fourp: calibrating {} parameter(s) of '{}' (arm {}) to {} target(s), {} "
               "particles{}\n",
               plan.parameters.size(), plan.scenario.name, plan.arm, plan.targets.size(),
               plan.method.particles,
               mpi.active ? fmt::format(", {} MPI ranks", mpi.size) : std::string());
  // The journal: continued with --resume, replaced with --overwrite, else it must not exist.
  // Every rank reads it to resume (a cluster's ranks share the file system); rank 0 writes it.
  const fs::path journal_path = fs::path(out.string() + ".journal");
  const uint64_t hash =
      calibration_hash(plan.text + "\n" + to_yaml(plan.scenario) + "\n" + FOURP_VERSION);
  std::vector<SmcGeneration> generations;
  std::optional<CalibrationJournal> journal;
  if (args.resume && fs::exists(journal_path)) {
    generations = read_calibration_journal(journal_path, hash);
    if (lead) journal.emplace(CalibrationJournal::reopen(journal_path, generations));
    if (!quiet)
      fmt::print(stderr, "  resuming from {}: {} generation(s) done\n", journal_path.string(),
                 generations.size());
  } else if (lead) {
    if (args.overwrite) fs::remove(journal_path);
    journal.emplace(CalibrationJournal::create(journal_path, hash));
  }
  // FOURP_CALIBRATE_KILL_AFTER=g: SIGKILL once generation g is journaled (tests of --resume).
  const char* kill_env = std::getenv("FOURP_CALIBRATE_KILL_AFTER");
  const long kill_after = kill_env && *kill_env && lead ? std::atol(kill_env) : -1;

  const auto t0 = std::chrono::steady_clock::now();
  uint64_t evaluations = 0;
  const auto report = [&](const SmcGeneration& g) {
    evaluations += g.evaluations;
    if (quiet) return;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print(stderr,
               "  generation {:>2}: temperature {:.4f}, ESS {:.0f}, acceptance {:.0f}%, {} "
               "simulations so far{} ({:.0f} s)\n",
               g.generation, g.temperature, g.ess, 100 * g.acceptance_rate,
               evaluations * plan.method.replicates,
               g.failed_evaluations ? fmt::format(", {} failed", g.failed_evaluations) : "", s);
  };
  for (const SmcGeneration& g : generations) report(g);
  while (generations.empty() || !SmcSampler::done(generations.back())) {
    if (generations.size() > settings.max_generations)
      throw std::runtime_error(
          fmt::format("the calibration did not reach temperature 1 in {} "
                      "generations",
                      settings.max_generations));
    SmcGeneration g = generations.empty() ? sampler.first() : sampler.next(generations.back());
    if (journal) journal->write(g);
    report(g);
    if (kill_after >= 0 && g.generation == static_cast<uint64_t>(kill_after)) ::raise(SIGKILL);
    generations.push_back(std::move(g));
  }
  if (!lead) return 0;  // rank 0 makes the predictive bands and writes the file
  const SmcGeneration& post = generations.back();

  // Posterior predictive: the model's value of every target at (up to) 100 posterior particles,
  // chosen in proportion to their weights (systematic, from the particles' order).
  const std::vector<double> w = smc_weights(post);
  const uint32_t m = std::min<uint32_t>(kPredictiveParticles, plan.method.particles);
  std::vector<size_t> chosen;
  double cumulative = 0;
  size_t i = 0;
  for (uint32_t k = 0; k < m; ++k) {
    const double u = (k + 0.5) / m;
    while (i + 1 < w.size() && cumulative + w[i] < u) cumulative += w[i++];
    chosen.push_back(i);
  }
  std::vector<std::vector<double>> values(m);
  tbb::parallel_for(uint32_t{0}, m, [&](uint32_t k) {
    const size_t p = chosen[k];
    const std::span<const double> theta(post.theta.data() + p * post.dimension, post.dimension);
    values[k] = model.target_values(theta, kPredictiveKey + k);
  });

  CalibrationResults r;
  r.fourp_version = FOURP_VERSION;
  r.calibration_text = plan.text;
  r.scenario_yaml = to_yaml(plan.scenario);
  r.arm = plan.arm;
  r.seed = plan.method.seed;
  r.particles = plan.method.particles;
  r.replicates = plan.method.replicates;
  for (const UncertainParameter& p : plan.parameters) {
    r.parameters.push_back(p.path);
    r.priors.push_back(describe(p.dist));
  }
  r.generations = generations;
  for (size_t t = 0; t < plan.targets.size(); ++t) {
    const CalibrationTarget& target = plan.targets[t];
    std::vector<double> v;
    for (const auto& row : values) v.push_back(row[t]);
    std::sort(v.begin(), v.end());
    const bool survey = target.kind == CalibrationTarget::Kind::survey;
    r.targets.push_back({describe_target(target), survey ? "survey" : "count",
                         survey ? double(target.yes) / double(target.respondents) : target.count,
                         quantile_sorted(v, 0.05), quantile_sorted(v, 0.5),
                         quantile_sorted(v, 0.95)});
  }
  write_calibration_results(r, out, args.overwrite);
  journal.reset();
  fs::remove(journal_path);  // the results file holds every generation

  if (!args.quiet) {
    fmt::print("{:<40} {:>27}   {:>27}\n", "parameter", "prior 5%-95%", "posterior 5%-95%");
    const SmcGeneration& prior = generations.front();
    for (size_t j = 0; j < plan.parameters.size(); ++j) {
      const auto [a, b] = band90(prior, j);
      const auto [c, d] = band90(post, j);
      fmt::print("{:<40} {:>13.4g} - {:<11.4g}   {:>13.4g} - {:<11.4g}\n", plan.parameters[j].path,
                 a, b, c, d);
    }
    fmt::print("\nwrote {} ({} generations, {} simulations)\n", out.string(), generations.size(),
               evaluations * plan.method.replicates);
  }
  return 0;
}

std::function<std::optional<int>()> add_calibrate_command(CLI::App& app) {
  auto args = std::make_shared<CalibrateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate", "Fit a scenario's parameters to survey and case data (a calibration file)");
  cmd->add_option("calibration", args->calibration, "Calibration file (YAML)")->required();
  cmd->add_option("-o,--output", args->output,
                  "Calibration results (HDF5); default: <calibration file name>.h5 here");
  cmd->add_option("--threads", args->threads, "Worker threads (default: every core)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--resume", args->resume,
                "Continue an interrupted calibration from its journal (<output>.journal)");
  cmd->add_flag("--overwrite", args->overwrite,
                "Replace an existing results file (and start over from no journal)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress or summary");
  return [cmd, args]() -> std::optional<int> {
    if (!*cmd) return std::nullopt;
    return calibrate_command(*args);
  };
}

}  // namespace fourp::app
