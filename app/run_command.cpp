#include <fmt/format.h>

#include <filesystem>

#include "app/commands.h"
#include "app/progress.h"
#include "app/scenario_input.h"
#include "app/signals.h"
#include "output/decision_report.h"
#include "output/report_html.h"
#include "output/results_file.h"
#include "output/summary_table.h"
#include "sim/runner.h"

namespace fourp::app {

namespace {

// Keeps only the named arms (and the baseline, which every comparison needs).
void select_arms(Scenario& s, const std::vector<std::string>& names) {
  if (names.empty()) return;
  std::vector<std::string> known;
  for (const Arm& a : s.arms) known.push_back(a.name);
  Diagnostics diag;
  for (const auto& n : names)
    if (!s.arm(n)) {
      std::string hint = did_you_mean(n, known);
      diag.error({"--arms"},
                 fmt::format("unknown arm '{}'{}", n,
                             hint.empty() ? fmt::format(" (arms: {})", fmt::join(known, ", "))
                                          : fmt::format(" (did you mean '{}'?)", hint)));
    }
  if (diag.has_errors()) throw InputError(diag.format());
  std::vector<Arm> kept;
  for (const Arm& a : s.arms)
    if (a.name == s.baseline_arm || std::find(names.begin(), names.end(), a.name) != names.end())
      kept.push_back(a);
  s.arms = std::move(kept);
}

}  // namespace

int run_command(const RunArgs& args) {
  std::vector<std::string> sets = args.sets;
  if (args.replicates) sets.push_back(fmt::format("replicates={}", *args.replicates));
  if (args.seed) sets.push_back(fmt::format("seed={}", *args.seed));
  ScenarioInput in = load_scenario(args.scenario, sets, args.quiet);
  Scenario& s = in.scenario;
  select_arms(s, args.arms);

  const std::filesystem::path out =
      args.output.empty()
          ? std::filesystem::path(std::filesystem::path(args.scenario).stem().string() + ".h5")
          : std::filesystem::path(args.output);
  check_output_path(out, args.overwrite);  // before hours of work, not after
  if (!args.report.empty()) {  // the report too, and it may not take the results file's place
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::weakly_canonical(args.report, ec) == fs::weakly_canonical(out, ec))
      throw InputError(fmt::format("{}: error: --report names the results file", args.report));
    check_output_path(args.report, args.overwrite);
  }

  // Ctrl-C or kill: stop the runs (nothing is written), or, while the results file is being
  // written, remove its temporary file and leave at once. Either way no partial results file.
  catch_signals(OnSignal::cancel);

  const size_t runs = s.arms.size() * s.replicates;
  if (!args.quiet)
    fmt::print(stderr, "fourp: {}: {} arms x {} replicates, {} agents, {} {}s\n", s.name,
               s.arms.size(), s.replicates, s.population.size, s.steps, s.step_unit);
  ProgressBar bar("runs", static_cast<size_t>(s.steps), args.quiet);
  RunOptions opt;
  opt.threads = args.threads;
  opt.cancel = &cancel_flag();
  opt.network_file = in.network_file ? &*in.network_file : nullptr;
  opt.on_progress = [&](size_t done, size_t total) { bar.update(done, total); };
  Results results;
  try {
    results = run_scenario(s, opt);
  } catch (const Cancelled&) {
    bar.finish();
    fmt::print(stderr, "fourp: interrupted; nothing was written\n");
    return 128 + caught_signal();
  }
  bar.finish();

  {
    const LeaveOnSignal writing;
    if (cancelled()) {
      fmt::print(stderr, "fourp: interrupted; nothing was written\n");
      return 128 + caught_signal();
    }
    write_results(results, out, args.overwrite);
    if (!args.report.empty())
      report::write_report(results, &in.scenario, args.report, args.overwrite);
  }

  if (!args.quiet) {
    fmt::print("{}", format_summary(results));
    fmt::print("{}", report::decision_line(results));
    fmt::print("\nwrote {} ({} runs)\n", out.string(), runs);
    if (!args.report.empty()) fmt::print("wrote {}\n", args.report);
  }
  return 0;
}

}  // namespace fourp::app
