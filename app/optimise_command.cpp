#include "app/optimise_command.h"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <CLI/CLI.hpp>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ranges>

#include "app/mpi_sweep.h"
#include "app/progress.h"
#include "app/signals.h"
#include "models/builtin_catalog.h"
#include "output/optimisation_journal.h"
#include "output/optimisation_results.h"
#include "output/results_file.h"
#include "sim/comparison.h"
#include "sim/optimiser.h"
#include "sim/runner.h"
#include "sim/scenario_parse.h"
#include "sim/yaml_document.h"

namespace fourp::app {

namespace fs = std::filesystem;

namespace {

std::string money(const std::string& currency, double x) {
  return fmt::format("{} {:.0f}", currency, x);
}

// The results file's row of one candidate.
OptimisationRow row_of(const OptimisationPlan& plan, const Candidate& c, const Evaluation& e) {
  OptimisationRow row;
  row.description = describe(plan, c);
  size_t k = 0, n = 0;
  for (const OptimisationChoice& ch : plan.choices)
    row.values.push_back(ch.kind == OptimisationChoice::Kind::communities
                             ? fmt::format("{}", fmt::join(c.subsets[k++], " "))
                             : fmt::format("{:.17g}", c.numbers[n++]));
  row.ok = e.ok;
  row.error = e.error;
  row.objective = e.objective;
  row.objective_low = e.objective - e.objective_half;
  row.objective_high = e.objective + e.objective_half;
  row.cost = e.cost;
  row.cost_low = e.cost - e.cost_half;
  row.cost_high = e.cost + e.cost_half;
  row.within_choices = within_choices(plan, c);
  row.meets_constraints = meets_constraints(plan, c);
  return row;
}

// The optimum against the current plan over the fresh replicates: paired differences.
Confirmation confirm(const OptimisationPlan& plan, const Evaluation& current,
                     const Evaluation& optimum) {
  Confirmation k;
  k.current_objective = current.objective_by_replicate;
  k.optimum_objective = optimum.objective_by_replicate;
  k.current_cost = current.cost_by_replicate;
  k.optimum_cost = optimum.cost_by_replicate;
  std::vector<double> better, extra;
  size_t wins = 0;
  for (size_t r = 0; r < k.current_objective.size(); ++r) {
    // improvement = sign · (current − optimum): positive when the optimum does better
    better.push_back(plan.objective.sign * (k.current_objective[r] - k.optimum_objective[r]));
    extra.push_back(k.optimum_cost[r] - k.current_cost[r]);
    wins += better.back() > 0;
  }
  const Interval b = mean_interval(better), x = mean_interval(extra);
  k.improvement = b.mean, k.improvement_low = b.low, k.improvement_high = b.high;
  k.extra_cost = x.mean, k.extra_cost_low = x.low, k.extra_cost_high = x.high;
  k.probability_better = better.empty() ? 0.0 : double(wins) / double(better.size());
  return k;
}

// least_cost on the fresh replicates: the reduction reached against the baseline arm and the
// paired margin (1 − r)·baseline_r − optimum_r (≥ 0: the target is reached on replicate r).
void confirm_target(double reduction, const Evaluation& baseline, const Evaluation& optimum,
                    Confirmation& k) {
  k.baseline_objective = baseline.objective_by_replicate;
  std::vector<double> margin;
  for (size_t r = 0; r < k.baseline_objective.size(); ++r)
    margin.push_back((1 - reduction) * k.baseline_objective[r] - optimum.objective_by_replicate[r]);
  const Interval m = mean_interval(margin);
  k.target_margin = m.mean, k.target_margin_low = m.low, k.target_margin_high = m.high;
  k.achieved_reduction = 1 - optimum.objective / baseline.objective;
}

// The bar of `fourp optimise` (app/progress.h), in runs. The total is an estimate, revised as
// the work goes: the runs done, each search still to come as long as the longest so far (the
// current one included; later searches hit the cache more, so it errs long), and the
// confirmation's runs, known. Runs are counted from any thread; searches start on the main one.
class OptimiseProgress {
 public:
  OptimiseProgress(size_t searches, uint64_t confirmation_runs, bool quiet)
      : bar_("runs", 1, quiet), searches_(searches), confirmation_(confirmation_runs) {}
  void search_starts() {
    end_phase();
    ++started_;
  }
  void confirmation_starts() {
    end_phase();
    confirming_ = true;
  }
  void plan_searches(size_t n) { searches_ = n; }  // the number now known (least_cost's)
  void run_done() {
    const uint64_t done = ++done_;
    bar_.update(done, total(done));
  }
  void clear() { bar_.finish(); }  // before a line of text; the next run draws it again
  void finish() {
    const uint64_t done = done_;
    bar_.update(done, done);  // drawn once at least, however fast it went
    bar_.finish();
  }

 private:
  void end_phase() {
    const uint64_t done = done_;
    longest_ = std::max<uint64_t>(longest_, done - phase_start_);
    phase_start_ = done;
  }
  uint64_t total(uint64_t done) const {
    const uint64_t start = phase_start_;
    if (confirming_) return std::max(done, start + confirmation_);
    const uint64_t longest = std::max<uint64_t>(longest_, done - start);
    const size_t started = started_, searches = searches_;
    const uint64_t later = searches > started ? searches - started : 0;
    return std::max(done, start + longest + later * longest + confirmation_);
  }

  ProgressBar bar_;
  std::atomic<uint64_t> done_{0}, phase_start_{0}, longest_{0};
  std::atomic<size_t> searches_, started_{0};
  std::atomic<bool> confirming_{false};
  uint64_t confirmation_;
};

fs::path best_path_of(const fs::path& out) {
  fs::path p = out;
  return p.replace_extension(".best.yaml");
}

}  // namespace

int optimise_command(const OptimiseArgs& args) {
  // Under MPI every rank runs the same search on the same evaluations (each runs its share of
  // every batch's replicates and they add up the numbers: sim/optimiser.h EvaluatorHooks);
  // rank 0 alone prints, journals and writes.
  const MpiSession session("optimisation");
  const MpiWorld& mpi = session.world;
  const bool lead = session.lead();
  const bool quiet = args.quiet || !lead;

  Diagnostics diag;
  OptimisationPlan plan;
  const fs::path out = args.output.empty()
                           ? fs::path(fs::path(args.optimisation).stem().string() + ".h5")
                           : fs::path(args.output);
  const fs::path best_yaml = best_path_of(out);
  if (auto status = read_on_every_rank(session, [&] {
        plan = parse_optimisation_file(args.optimisation, models::builtin_catalog(), diag);
        if (diag.has_errors()) throw InputError(diag.format());
        if (lead) {
          check_output_path(out, args.overwrite);  // fail in a second, not after the search
          check_output_path(best_yaml, args.overwrite);
        }
      }))
    return *status;
  if (!quiet && !diag.all().empty()) fmt::print(stderr, "{}", diag.format());

  std::optional<tbb::global_control> limit;
  if (args.threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, args.threads);
  // Ctrl-C: stop at the next run and write nothing. Under MPI (ranks wait on each other) leave
  // at once instead: rank 0's journal is durable and --resume continues.
  catch_signals(mpi.active ? OnSignal::leave : OnSignal::cancel);

  const std::string& currency = plan.scenario.currency;
  if (!quiet)
    fmt::print(stderr,
               "fourp: optimising arm '{}' of '{}': {} choice(s), budget {}, {} replicates a "
               "candidate{}\n",
               plan.current, plan.scenario.name, plan.choices.size(), money(currency, plan.budget),
               plan.replicates,
               mpi.active ? fmt::format(", {} MPI ranks", mpi.size) : std::string());
  // The journal: continued with --resume, replaced with --overwrite, else it must not exist.
  // Every rank reads it to resume (a cluster's ranks share the file system); rank 0 writes it.
  const fs::path journal_path = fs::path(out.string() + ".journal");
  const uint64_t hash =
      journal_hash(plan.text + "\n" + to_yaml(plan.scenario) + "\n" + FOURP_VERSION);
  std::vector<JournalEntry> done;
  std::optional<OptimisationJournal> journal;
  if (args.resume && fs::exists(journal_path)) {
    done = read_optimisation_journal(journal_path, hash);
    if (lead) journal.emplace(OptimisationJournal::reopen(journal_path, done.size()));
    if (!quiet)
      fmt::print(stderr, "  resuming from {}: {} candidate(s) evaluated\n", journal_path.string(),
                 done.size());
  } else if (lead) {
    if (args.overwrite) fs::remove(journal_path);
    journal.emplace(OptimisationJournal::create(journal_path, hash));
  }
  // FOURP_OPTIMISE_KILL_AFTER=n: SIGKILL once n candidates are journaled (tests of --resume).
  const char* kill_env = std::getenv("FOURP_OPTIMISE_KILL_AFTER");
  const long kill_after = kill_env && *kill_env && lead ? std::atol(kill_env) : -1;
  size_t journaled = done.size();
  const auto journal_hook = [&](uint32_t evaluator) {
    return [&, evaluator](const Candidate& c, const Evaluation& e) {
      if (!journal) return;
      journal->write({evaluator, c, e});
      if (kill_after >= 0 && ++journaled >= static_cast<size_t>(kill_after)) ::raise(SIGKILL);
    };
  };

  const auto t0 = std::chrono::steady_clock::now();
  std::atomic<uint64_t> runs_done{0};
  const bool least = plan.mode == OptimisationMode::least_cost;
  const size_t curve_searches = static_cast<size_t>(std::count_if(
      plan.curve.begin(), plan.curve.end(), [&](double b) { return b != plan.budget; }));
  const size_t later_searches = curve_searches + (plan.constraints.empty() ? 0 : 1);
  const SearchSettings settings;
  OptimiseProgress progress((least ? 1 + settings.bisection_steps : 1) + later_searches,
                            uint64_t{least ? 3u : 2u} * plan.confirm_replicates, quiet);
  EvaluatorHooks hooks;
  hooks.cancel = mpi.active ? nullptr : &cancel_flag();
  hooks.after_run = [&] {
    ++runs_done;
    progress.run_done();
  };
  if (mpi.active) {
    hooks.rank = static_cast<uint32_t>(mpi.rank);
    hooks.ranks = static_cast<uint32_t>(mpi.size);
    hooks.combine = [](std::span<double> values) { mpi_sum(values); };
  }
  hooks.on_evaluated = journal_hook(0);
  Evaluator eval(plan, 0, plan.replicates, hooks);
  EvaluatorHooks fresh_hooks = hooks;
  fresh_hooks.on_evaluated = journal_hook(1);
  Evaluator fresh(plan, plan.replicates, plan.confirm_replicates, fresh_hooks);
  for (const JournalEntry& e : done)
    (e.evaluator == 0 ? eval : fresh).preload(e.candidate, e.evaluation);
  const auto note = [&](const std::string& what, const SearchResult& r) {
    if (quiet) return;
    progress.clear();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print(stderr, "  {}: {} candidates so far, {} runs ({:.0f} s){}\n", what,
               eval.history().size(), runs_done.load(), s,
               r.best ? fmt::format("; best {:.4g} at {}", r.evaluation.objective,
                                    money(currency, r.evaluation.cost))
                      : "");
  };

  const Candidate current = current_candidate(plan), start = start_candidate(plan);
  Evaluation baseline;  // least_cost: the baseline arm on the search's replicates
  double level = 0;     // least_cost: the target level (1 − r) × the baseline's mean
  OptimisationResults res;
  try {
    eval.evaluate({current});
    SearchResult main;
    if (least) {
      baseline = eval.evaluate_arm(plan.target->baseline);
      if (!baseline.ok)
        throw std::runtime_error("the baseline arm '" + plan.target->baseline +
                                 "' failed: " + baseline.error);
      level = (1 - plan.target->reduction) * baseline.objective;
      const LeastCostResult lc = least_cost(plan, start, plan.budget, level, eval.batch(), settings,
                                            [&](double) { progress.search_starts(); });
      progress.plan_searches(lc.budgets.size() + later_searches);
      main.best = lc.closest;
      main.evaluation = lc.closest_evaluation;
      progress.clear();
      if (!quiet)
        fmt::print(stderr, "  least cost: budgets {} searched\n",
                   fmt::join(lc.budgets | std::views::transform(
                                              [&](double b) { return money(currency, b); }),
                             ", "));
    } else {
      progress.search_starts();
      main = search(plan, start, plan.budget, eval.batch(), settings);
    }
    note(fmt::format("budget {}", money(currency, plan.budget)), main);
    if (!best_in(plan, eval.history(), plan.budget)) {
      const std::string cheapest =
          main.cheapest ? fmt::format(
                              "the cheapest allocation found, {}, costs {} (mean over {} "
                              "replicates)",
                              describe(plan, *main.cheapest),
                              money(currency, main.cheapest_evaluation.cost), plan.replicates)
                        : std::string("no allocation evaluated ran without failing");
      journal.reset();
      if (!lead) return 2;       // rank 0 says why
      fs::remove(journal_path);  // bad input writes nothing
      throw InputError(fmt::format("{}: error: budget {} is below the cheapest allocation: {}\n",
                                   plan.budget_loc.str(), money(currency, plan.budget), cheapest));
    }
    if (least && !cheapest_reaching(plan, eval.history(), level, plan.budget)) {
      // Like a budget below every allocation: the question has no answer; exit 2, nothing written.
      const size_t closest = *best_in(plan, eval.history(), plan.budget);
      const Evaluation& e = eval.history()[closest].second;
      journal.reset();
      if (!lead) return 2;
      fs::remove(journal_path);
      throw InputError(fmt::format(
          "{}: error: target {} is not reached within the budget {}: the best allocation "
          "found, {}, lowers {} by {:.1f}% ({:.4g} against {:.4g} for the baseline arm '{}', "
          "means over {} replicates; the target is at most {:.4g})\n",
          plan.target->loc.str(), plan.target->describe(), money(currency, plan.budget),
          describe(plan, eval.history()[closest].first), plan.target->outcome,
          100 * (1 - e.objective / baseline.objective), e.objective, baseline.objective,
          plan.target->baseline, plan.replicates, level));
    }
    if (!plan.constraints.empty()) {
      // Which constraint binds (the report): the same search without the constraints, at the
      // budget (least_cost: at the cost of the cheapest reaching the target), so the candidates
      // evaluated include the answer the constraints would change.
      OptimisationPlan unconstrained = plan;
      unconstrained.constraints.clear();
      const double at =
          least ? eval.history()[*cheapest_reaching(plan, eval.history(), level, plan.budget)]
                      .second.cost
                : plan.budget;
      progress.search_starts();
      note(fmt::format("without the constraints, budget {}", money(currency, at)),
           search(unconstrained, start, at, eval.batch()));
    }
    for (double b : plan.curve) {
      if (b == plan.budget) continue;
      progress.search_starts();
      note(fmt::format("curve budget {}", money(currency, b)),
           search(plan, start, b, eval.batch()));
    }
  } catch (const Cancelled&) {
    fmt::print(stderr, "fourp: interrupted; nothing was written\n");
    return 128 + caught_signal();
  }
  const auto& history = eval.history();
  const size_t optimum = least ? *cheapest_reaching(plan, history, level, plan.budget)
                               : *best_in(plan, history, plan.budget);

  // The optimiser's curse: the optimum was chosen for doing well on these replicates; on fresh
  // ones (replicates R … R + confirm − 1) it is compared with the current plan again (and, for
  // least_cost, with the baseline arm's target).
  std::vector<Evaluation> check;
  Evaluation fresh_baseline;
  try {
    progress.confirmation_starts();
    check = fresh.evaluate({current, history[optimum].first});
    if (least) fresh_baseline = fresh.evaluate_arm(plan.target->baseline);
  } catch (const Cancelled&) {
    fmt::print(stderr, "fourp: interrupted; nothing was written\n");
    return 128 + caught_signal();
  }
  if (!check[0].ok || !check[1].ok)
    throw std::runtime_error("the confirmation runs failed: " +
                             (check[0].ok ? check[1].error : check[0].error));
  if (least && !fresh_baseline.ok)
    throw std::runtime_error("the confirmation runs of the baseline arm failed: " +
                             fresh_baseline.error);
  progress.finish();
  if (!lead) return 0;  // rank 0 writes the files

  res.fourp_version = FOURP_VERSION;
  res.optimisation_text = plan.text;
  res.scenario_yaml = to_yaml(plan.scenario);
  res.current = plan.current;
  res.objective = plan.objective.describe();
  res.objective_sign = plan.objective.sign;
  res.currency = currency;
  res.seed = plan.scenario.seed;
  res.replicates = plan.replicates;
  res.confirm_replicates = plan.confirm_replicates;
  res.communities = plan.scenario.population.communities;
  res.budget = plan.budget;
  for (const OptimisationChoice& ch : plan.choices) {
    res.choices.push_back(ch.path);
    res.choice_kinds.push_back(ch.kind == OptimisationChoice::Kind::communities ? "communities"
                                                                                : "number");
  }
  for (const OptimisationConstraint& c : plan.constraints)
    res.constraints.push_back(fmt::format("{}", fmt::join(c.at_least_one_of, " ")));
  for (size_t i = 0; i < history.size(); ++i) {
    res.candidates.push_back(row_of(plan, history[i].first, history[i].second));
    if (history[i].first == current) res.current_candidate = static_cast<int64_t>(i);
  }
  res.optimum = static_cast<int64_t>(optimum);
  std::vector<double> budgets = plan.curve;
  for (double b : budgets) {
    const auto i = best_in(plan, history, b);
    res.curve.push_back({b, i ? static_cast<int64_t>(*i) : -1});
  }
  res.confirmation = confirm(plan, check[0], check[1]);
  if (least) {
    res.mode = "least_cost";
    res.target_outcome = plan.target->outcome;
    res.target_reduction = plan.target->reduction;
    res.target_level = level;
    res.baseline_arm = plan.target->baseline;
    res.baseline_objective = baseline.objective;
    res.baseline_objective_low = baseline.objective - baseline.objective_half;
    res.baseline_objective_high = baseline.objective + baseline.objective_half;
    confirm_target(plan.target->reduction, fresh_baseline, check[1], res.confirmation);
  }
  res.runs = eval.runs() + fresh.runs();

  const std::string best_text =
      "# The optimum of " + fs::path(args.optimisation).filename().string() +
      " (fourp optimise) as the arm `optimum`, beside the scenario's arms.\n# " +
      describe(plan, history[optimum].first) + "\n" +
      to_yaml(optimum_scenario(plan, history[optimum].first));
  {
    const LeaveOnSignal writing;
    if (cancelled()) {
      fmt::print(stderr, "fourp: interrupted; nothing was written\n");
      return 128 + caught_signal();
    }
    write_optimisation_results(res, out, args.overwrite);
    try {
      write_atomically(best_yaml, args.overwrite, [&](const fs::path& temp) {
        std::ofstream f(temp, std::ios::binary);
        f << best_text;
        f.close();
        if (!f)
          throw std::runtime_error(fmt::format("{}: error: cannot write", best_yaml.string()));
      });
    } catch (...) {
      fs::remove(out);  // both or neither
      throw;
    }
  }
  journal.reset();
  fs::remove(journal_path);  // the results file holds every candidate

  if (!args.quiet) {
    const Evaluation& cur = history[res.current_candidate >= 0 ? res.current_candidate : 0].second;
    const Evaluation& opt = history[optimum].second;
    const Confirmation& k = res.confirmation;
    fmt::print("objective: {}\n", res.objective);
    if (least)
      fmt::print("target: {} at most {:.4g} ({:.0f}% below the baseline arm '{}', {:.4g})\n",
                 plan.target->outcome, level, 100 * plan.target->reduction, res.baseline_arm,
                 res.baseline_objective);
    fmt::print("current  ({}): {:.4g} (95% CI ±{:.2g}), cost {}\n", describe(plan, current),
               cur.objective, cur.objective_half, money(currency, cur.cost));
    fmt::print("{} ({}): {:.4g} (95% CI ±{:.2g}), cost {} (95% CI ±{:.0f})\n",
               least ? "least cost" : "optimum ", describe(plan, history[optimum].first),
               opt.objective, opt.objective_half, money(currency, opt.cost), opt.cost_half);
    if (least)
      fmt::print(
          "on {} fresh replicates it lowers {} by {:.1f}% against the baseline arm; the margin "
          "over the target is {:.3g} (95% CI {:.3g} to {:.3g}): the target is {}\n",
          plan.confirm_replicates, plan.target->outcome, 100 * k.achieved_reduction,
          k.target_margin, k.target_margin_low, k.target_margin_high,
          k.target_margin_low >= 0 ? "reached"
          : k.target_margin >= 0   ? "reached on average, not surely"
                                   : "not reached");
    fmt::print(
        "on {} fresh replicates the optimum improves on the current plan by {:.3g} (95% "
        "CI {:.3g} to {:.3g}), in {:.0f}% of them, at {} {} (95% CI of the difference {:.0f} to "
        "{:.0f}){}\n",
        plan.confirm_replicates, k.improvement, k.improvement_low, k.improvement_high,
        100 * k.probability_better, money(currency, std::abs(k.extra_cost)),
        k.extra_cost >= 0 ? "more" : "less", k.extra_cost_low, k.extra_cost_high,
        cur.cost > plan.budget ? "; the current plan costs more than the budget" : "");
    for (const CurvePoint& p : res.curve)
      fmt::print("  budget {:>14}: {}\n", money(currency, p.budget),
                 p.candidate < 0
                     ? std::string("nothing fits")
                     : fmt::format("{:.4g} at {}", history[p.candidate].second.objective,
                                   money(currency, history[p.candidate].second.cost)));
    fmt::print("\nwrote {} and {} ({} candidates, {} runs)\n", out.string(), best_yaml.string(),
               history.size(), res.runs);
  }
  return 0;
}

std::function<std::optional<int>()> add_optimise_command(CLI::App& app) {
  auto args = std::make_shared<OptimiseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "optimise", "Find the best use of a budget: which communities, which programmes, how much");
  cmd->add_option("optimisation", args->optimisation, "Optimisation file (YAML)")->required();
  cmd->add_option("-o,--output", args->output,
                  "Optimisation results (HDF5); default: <optimisation file name>.h5 here; the "
                  "optimum's scenario goes beside it as <name>.best.yaml");
  cmd->add_option("--threads", args->threads, "Worker threads (default: every core)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--resume", args->resume,
                "Continue an interrupted optimisation from its journal (<output>.journal)");
  cmd->add_flag("--overwrite", args->overwrite,
                "Replace existing output files (and start over from no journal)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress or summary");
  return [cmd, args]() -> std::optional<int> {
    if (!*cmd) return std::nullopt;
    return optimise_command(*args);
  };
}

int validate_optimisation(const std::string& file) {
  Diagnostics diag;
  const OptimisationPlan plan = parse_optimisation_file(file, models::builtin_catalog(), diag);
  if (diag.has_errors()) throw InputError(diag.format());
  for (const auto& d : diag.all())
    if (d.severity == Diagnostic::Severity::warning) fmt::print(stderr, "{}\n", d.str());
  fmt::print(
      "optimisation of arm '{}' of scenario '{}': {} within {} {:.0f}, {} replicates a "
      "candidate, {} to confirm, seed {}\n\nchoices:\n",
      plan.current, plan.scenario.name, plan.objective.describe(), plan.scenario.currency,
      plan.budget, plan.replicates, plan.confirm_replicates, plan.scenario.seed);
  for (const OptimisationChoice& c : plan.choices) {
    if (c.kind == OptimisationChoice::Kind::communities)
      fmt::print("  {}: {} to {} of communities {}\n", c.path, c.min_count, c.max_count,
                 fmt::join(c.pool, ", "));
    else
      fmt::print("  {}: {} in [{:g}, {:g}]\n", c.path, c.integer ? "a whole number" : "a number",
                 c.min, c.max);
  }
  for (const OptimisationConstraint& c : plan.constraints)
    fmt::print("constraint: at least one of communities {} served\n",
               fmt::join(c.at_least_one_of, ", "));
  if (!plan.curve.empty()) fmt::print("curve: budgets {}\n", fmt::join(plan.curve, ", "));
  if (plan.target)
    fmt::print(
        "mode: least_cost: the cheapest allocation within the budget that lowers {} by at "
        "least {:g}% against the baseline arm '{}'\n",
        plan.target->outcome, 100 * plan.target->reduction, plan.target->baseline);
  fmt::print("current plan: {}\n", describe(plan, current_candidate(plan)));
  return 0;
}

}  // namespace fourp::app
