// `fourp report results.h5 [-o report.html] [--csv DIR] [--overwrite]`: the HTML report of a
// results file and, on request, its data as tidy CSV files. Every output is checked before the
// results file is read (an existing file is never replaced without --overwrite) and written
// atomically; a bad results file is an InputError (exit 2) before anything is written.
#include <fmt/format.h>

#include <unistd.h>
#include <csignal>
#include <filesystem>

#include "app/commands.h"
#include "output/csv_export.h"
#include "output/report_html.h"
#include "output/report_input.h"
#include "output/results_file.h"
#include "output/sweep_report.h"
#include "sim/diagnostics.h"

namespace fourp::app {

namespace fs = std::filesystem;

namespace {

// Ctrl-C or kill while a file is written: remove its temporary file and leave at once.
extern "C" void report_on_signal(int sig) {
  remove_pending_outputs();
  _exit(128 + sig);
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec) && !ec;
}

}  // namespace

int report_command(const ReportArgs& args) {
  const fs::path results(args.results);
  const fs::path out =
      args.output.empty() ? fs::path(results).replace_extension(".html") : fs::path(args.output);
  if (same_file(out, results))
    throw InputError(
        fmt::format("{}: error: the report would replace the results file it reads "
                    "(choose another name with -o)",
                    out.string()));
  check_output_path(out, args.overwrite);
  if (is_sweep_file(results)) return sweep_report_command(args, out);  // app/sweep_command.cpp
  if (!args.csv.empty()) check_csv_targets(args.csv, args.overwrite);

  Diagnostics warnings;  // a missing /comparison is recomputed (output/report_input.h)
  const Results r = read_results_for_report(results, warnings);
  if (!args.quiet)
    for (const Diagnostic& d : warnings.all()) fmt::print(stderr, "{}\n", d.str());

  std::signal(SIGINT, report_on_signal);
  std::signal(SIGTERM, report_on_signal);
  if (!args.csv.empty()) write_csv(r, args.csv, args.overwrite);
  report::write_report(r, out, args.overwrite);
  if (!args.quiet) {
    if (!args.csv.empty())
      fmt::print("wrote {} ({})\n", args.csv, fmt::join(csv_file_names(), ", "));
    fmt::print("wrote {}\n", out.string());
  }
  return 0;
}

}  // namespace fourp::app
