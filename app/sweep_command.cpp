// `fourp sweep SWEEP.yaml [-o sweep.h5] [--shard I/N] [--resume]` and its options; also the
// registration of `sweep` and `merge` on the command line.
//
// A sweep always goes through its journal (`<output>.journal`): runs are recorded there, synced,
// as they finish; at the end the sweep file is written from the journal atomically and the
// journal removed. So one process, MPI ranks, shards and resumed sweeps all write the same bytes.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>

#include "app/commands.h"
#include "app/mpi_sweep.h"
#include "app/progress.h"
#include "app/signals.h"
#include "app/sweep_commands.h"
#include "models/builtin_catalog.h"
#include "output/journal_writer.h"
#include "output/results_file.h"
#include "output/sweep_journal.h"
#include "output/sweep_reader.h"
#include "output/sweep_report.h"
#include "output/sweep_writer.h"
#include "sim/sweep.h"
#include "sim/sweep_runner.h"

namespace fourp::app {

namespace fs = std::filesystem;

namespace {

std::pair<uint32_t, uint32_t> parse_shard(const std::string& text) {
  if (text.empty()) return {0, 1};
  const auto slash = text.find('/');
  auto whole = [](const std::string& s, uint64_t& out) {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
      return false;
    out = std::stoull(s);
    return true;
  };
  uint64_t i = 0, n = 0;
  if (slash == std::string::npos || !whole(text.substr(0, slash), i) ||
      !whole(text.substr(slash + 1), n) || n == 0 || i >= n)
    throw InputError(
        fmt::format("--shard {}: error: expected I/N with 0 <= I < N, e.g. --shard "
                    "0/4 (Slurm: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT "
                    "with --array=0-3)\n",
                    text));
  return {static_cast<uint32_t>(i), static_cast<uint32_t>(n)};
}

// FOURP_SWEEP_FAIL_RUNS=3,17: those runs fail (for tests of failure handling).
std::function<bool(uint64_t)> injected_failures() {
  const char* env = std::getenv("FOURP_SWEEP_FAIL_RUNS");
  if (!env || !*env) return {};
  std::set<uint64_t> runs;
  std::string s(env);
  size_t start = 0;
  while (start <= s.size()) {
    const size_t comma = s.find(',', start);
    const std::string item =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) runs.insert(std::stoull(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return [runs](uint64_t run) { return runs.count(run) > 0; };
}

SweepPlan load_plan(const SweepArgs& args, bool print) {
  Diagnostics diag;
  SweepPlan plan =
      parse_sweep_file(args.sweep, models::builtin_catalog(), SweepOptions{args.force}, diag);
  if (diag.has_errors()) throw InputError(diag.format());
  if (print && !args.quiet)
    for (const auto& d : diag.all())
      if (d.severity == Diagnostic::Severity::warning) fmt::print(stderr, "{}\n", d.str());
  return plan;
}

// Where the sweep stands before any run: the journal (created or reopened) and what it holds.
struct Session {
  fs::path out, journal_path;
  bool replace_out = false;  // the output may be replaced at the end
  std::optional<SweepJournal> journal;
  std::vector<RunStatus> status;  // per run
};

Session open_session(const SweepPlan& plan, const SweepArgs& args, uint32_t shard,
                     uint32_t shards) {
  Session s;
  const std::string stem = fs::path(args.sweep).stem().string();
  s.out = !args.output.empty() ? fs::path(args.output)
          : shards > 1         ? fs::path(fmt::format("{}.shard-{}-of-{}.h5", stem, shard, shards))
                               : fs::path(stem + ".h5");
  s.journal_path = fs::path(s.out.string() + ".journal");
  std::error_code ec;
  const bool journal_exists = fs::exists(s.journal_path, ec);
  const bool out_exists = fs::exists(s.out, ec);
  if (args.resume && journal_exists) {
    s.journal.emplace(SweepJournal::open(s.journal_path, plan.layout, shard, shards));
    // The journal proves the output's name was chosen for this sweep when it started.
    s.replace_out = true;
    check_output_path(s.out, true);
  } else {
    if (journal_exists && !args.overwrite)
      throw InputError(
          fmt::format("{}: error: an interrupted sweep left this journal; continue "
                      "it with --resume, or start over with --overwrite\n",
                      s.journal_path.string()));
    if (args.resume && out_exists && !args.overwrite)
      throw InputError(
          fmt::format("{}: error: file exists and there is no journal to resume "
                      "(the sweep is complete); use --overwrite to run it again\n",
                      s.out.string()));
    s.replace_out = args.overwrite;
    check_output_path(s.out, s.replace_out);  // before hours of work, not after
    if (journal_exists) fs::remove(s.journal_path);
    s.journal.emplace(SweepJournal::create(s.journal_path, plan.layout, shard, shards));
  }
  s.status = s.journal->scan();
  return s;
}

std::string run_name(const SweepLayout& L, uint64_t run) {
  const RunPlan p = L.run(run);
  return fmt::format("run {} (sample {}, arm {}, replicate {})", run, p.sample, L.arms[p.arm],
                     p.replicate);
}

}  // namespace

int sweep_command(const SweepArgs& args) {
  if (mpi_launched_without_support())
    throw InputError(
        "fourp: error: started by an MPI launcher, but this fourp was built without "
        "MPI (every rank would run the whole sweep); rebuild with OpenMPI "
        "installed, or use --shard\n");
  const MpiWorld mpi = mpi_begin();
  struct End {
    ~End() { mpi_end(); }
  } end_mpi;
  const bool root = mpi.rank == 0;

  ExecOptions exec;
  exec.threads = args.threads;
  exec.hooks.cancel = &cancel_flag();
  exec.hooks.fail = injected_failures();

  // Every rank reads and checks the sweep (the same file gives the same plan); only rank 0 speaks.
  std::optional<SweepPlan> plan_holder;
  uint32_t shard = 0, shards = 1;
  std::string load_error;
  try {
    std::tie(shard, shards) = parse_shard(args.shard);
    plan_holder.emplace(load_plan(args, root));
  } catch (const InputError& e) {
    if (!mpi.active) throw;
    load_error = e.what();
  }
  if (mpi.active && mpi_agree(load_error.empty() ? 0 : 2) != 0) {
    if (root && !load_error.empty()) throw InputError(load_error);
    if (root)
      fmt::print(stderr,
                 "fourp: error: another MPI rank could not read the sweep (is every file "
                 "it names on every node?)\n");
    return 2;
  }
  const SweepPlan& plan = *plan_holder;
  const SweepLayout& L = plan.layout;

  if (mpi.active && !root) {
    if (const int status = mpi_share(0); status != 0) return status;  // rank 0 could not start
    mpi_work(plan, exec);
    return mpi_share(0);
  }

  std::optional<Session> session_holder;
  try {
    session_holder.emplace(open_session(plan, args, shard, shards));
  } catch (const InputError& e) {
    if (!mpi.active) throw;
    const std::string what = e.what();
    fmt::print(stderr, "{}{}", what, what.ends_with('\n') ? "" : "\n");
    mpi_share(2);
    return 2;
  }
  Session& session = *session_holder;
  if (mpi.active) mpi_share(0);

  // Ctrl-C or kill: stop taking tasks (the journal keeps every finished run). Under MPI (ranks
  // wait on each other) remove any temporary file and leave at once — the journal is durable,
  // --resume continues.
  catch_signals(mpi.active ? OnSignal::leave : OnSignal::cancel);

  const auto done = [&](uint64_t run) {
    return session.status[run] == RunStatus::ok ||
           (session.status[run] == RunStatus::failed && !args.retry_failed);
  };
  TaskQueue queue(L, shard, shards, done);
  const uint64_t in_scope =
      shards > 1 ? (L.tasks() / shards + (shard < L.tasks() % shards)) * L.arms.size() : L.runs();
  if (!args.quiet) {
    fmt::print(stderr,
               "fourp: sweep {}: {} design, {} samples x {} arms x {} replicates = {} "
               "runs{}{}\n",
               L.name, L.design, L.sample_count(), L.arms.size(), L.replicates, L.runs(),
               shards > 1 ? fmt::format("; shard {}/{}: {} runs", shard, shards, in_scope) : "",
               mpi.active ? fmt::format("; {} MPI ranks", mpi.size) : "");
    if (queue.pending_runs() < in_scope)
      fmt::print(stderr, "fourp: resuming: {} runs done, {} to run\n",
                 in_scope - queue.pending_runs(), queue.pending_runs());
  }

  ProgressBar bar("runs", 1, args.quiet);
  std::atomic<uint64_t> recorded{0};
  std::mutex print_mutex;
  int failures_shown = 0;
  const uint64_t to_run = queue.pending_runs();
  JournalWriter writer(
      *session.journal,
      [&](const RunRecord& r) {
        bar.update(++recorded, to_run);
        if (r.ok || args.quiet) return;
        std::lock_guard lock(print_mutex);
        if (++failures_shown <= 10) {
          bar.finish();
          fmt::print(stderr, "fourp: {} failed: {}\n", run_name(L, r.run), r.error);
        }
      },
      &cancel_flag());
  const auto sink = [&](std::vector<RunRecord> records) {
    for (RunRecord& r : records) writer.push(std::move(r));
  };
  std::vector<uint64_t> tasks_per_rank;
  try {
    if (mpi.active)
      tasks_per_rank = mpi_coordinate(plan, queue, exec, sink);
    else
      run_tasks(
          plan, [&] { return queue.next(); }, exec, sink);
    writer.finish();
  } catch (const std::exception& e) {
    if (mpi.active) {
      fmt::print(stderr, "fourp: error: {}\n", e.what());
      mpi_abort(1);
    }
    throw;
  }
  bar.finish();

  session.status = session.journal->scan();
  uint64_t missing = 0, failed = 0;
  for (uint64_t t = shard; t < L.tasks(); t += shards)
    for (uint64_t a = 0; a < L.arms.size(); ++a) {
      const RunStatus st = session.status[t * L.arms.size() + a];
      missing += st == RunStatus::not_recorded;
      failed += st == RunStatus::failed;
    }
  if (cancelled() || missing > 0) {
    fmt::print(stderr,
               "fourp: interrupted: {} of {} runs are saved in {}; continue with "
               "--resume\n",
               in_scope - missing, in_scope, session.journal_path.string());
    const int status = caught_signal() ? 128 + caught_signal() : 1;
    return mpi.active ? mpi_share(status) : status;
  }

  {
    const LeaveOnSignal writing;  // a signal now removes the temporary file and leaves
    if (cancelled()) return 128 + caught_signal();
    if (shards > 1)
      write_shard_file(L, *session.journal, session.out, session.replace_out, shard, shards);
    else
      write_sweep_file(L, *session.journal, summarise_journal(L, *session.journal), session.out,
                       session.replace_out);
  }
  session.journal->remove();

  if (!args.quiet) {
    fmt::print("wrote {}: {} runs{}\n", session.out.string(), in_scope,
               failed ? fmt::format(", {} failed (see /runs: ok = 0, error)", failed) : "");
    if (mpi.active) fmt::print("tasks run by each MPI rank: {}\n", fmt::join(tasks_per_rank, ", "));
    if (shards > 1 && args.output.empty())
      fmt::print("when every shard is done: fourp merge {}.shard-*-of-{}.h5 -o {}.h5\n",
                 fs::path(args.sweep).stem().string(), shards,
                 fs::path(args.sweep).stem().string());
  }
  const int status = failed ? 3 : 0;
  return mpi.active ? mpi_share(status) : status;
}

int sweep_report_command(const ReportArgs& args, const fs::path& out) {
  if (!args.csv.empty())
    throw InputError(
        fmt::format("{}: error: --csv is for results files; a sweep file's tables "
                    "(/summary, /sobol, /runs) read directly in pandas or R\n",
                    args.results));
  const SweepResults results = read_sweep_results(args.results);
  catch_signals(OnSignal::cancel);
  {
    const LeaveOnSignal writing;  // Ctrl-C or kill: remove the temporary file and leave at once
    report::write_sweep_report(results, out, args.overwrite);
  }
  if (!args.quiet) fmt::print("wrote {}\n", out.string());
  return 0;
}

std::function<std::optional<int>()> add_sweep_commands(CLI::App& app) {
  auto sweep = std::make_shared<SweepArgs>();
  auto merge = std::make_shared<MergeArgs>();
  CLI::App* s = app.add_subcommand(
      "sweep",
      "Run a sweep: one run per (sample, arm, replicate) of a design over scenario "
      "parameters (under mpirun, the ranks share the runs)");
  s->add_option("sweep", sweep->sweep, "Sweep file (YAML)")->required();
  s->add_option("-o,--output", sweep->output,
                "Sweep file (HDF5); default: <sweep file name>.h5 in the current directory "
                "(a shard: <name>.shard-I-of-N.h5)");
  s->add_option("--shard", sweep->shard,
                "Run only shard I of N (0 <= I < N: tasks t with t mod N = I); merge the shard "
                "files with `fourp merge`");
  s->add_option("--threads", sweep->threads, "Worker threads per process (default: every core)")
      ->check(CLI::NonNegativeNumber);
  s->add_flag("--resume", sweep->resume,
              "Continue an interrupted sweep from its journal (<output>.journal): only "
              "unfinished runs are run");
  s->add_flag("--retry-failed", sweep->retry_failed, "With --resume: run failed runs again too");
  s->add_flag("--overwrite", sweep->overwrite,
              "Replace an existing sweep file (and start over, discarding a journal)");
  s->add_flag("--force", sweep->force, "Run grids larger than design.max_samples");
  s->add_flag("-q,--quiet", sweep->quiet, "No progress bar, warnings or summary");

  CLI::App* m = app.add_subcommand(
      "merge", "Combine the shard files of a sweep (--shard I/N) into the sweep file");
  m->add_option("shards", merge->shards, "Shard files (HDF5), every shard once")->required();
  m->add_option("-o,--output", merge->output, "Sweep file (HDF5)")->required();
  m->add_flag("--overwrite", merge->overwrite, "Replace an existing sweep file");
  m->add_flag("-q,--quiet", merge->quiet, "Print nothing when done");

  return [s, m, sweep, merge]() -> std::optional<int> {
    if (*s) return sweep_command(*sweep);
    if (*m) return merge_command(*merge);
    return std::nullopt;
  };
}

}  // namespace fourp::app
