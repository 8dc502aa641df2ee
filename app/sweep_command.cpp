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
#include <optional>
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

// Exit statuses (sweep_commands.h).
constexpr int kDone = 0, kOtherFailure = 1, kBadInput = 2, kSomeRunsFailed = 3;

struct Shard {
  uint32_t index = 0, count = 1;  // count 1: the whole sweep
};

Shard parse_shard(const std::string& text) {
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

ExecOptions exec_options(const SweepArgs& args) {
  ExecOptions exec;
  exec.threads = args.threads;
  exec.hooks.cancel = &cancel_flag();
  exec.hooks.fail = injected_failures();
  return exec;
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

// ---- Step 1, parse: the sweep file and --shard.

struct Parsed {
  SweepPlan plan;
  Shard shard;
};

// Every rank reads and checks the sweep (the same file gives the same plan); only rank 0 speaks.
// Under MPI the ranks agree first: nothing (exit 2) when any rank could not read it.
std::optional<Parsed> parse_sweep(const SweepArgs& args, const MpiWorld& mpi) {
  const bool root = mpi.rank == 0;
  std::optional<Parsed> parsed;
  std::string load_error;
  try {
    const Shard shard = parse_shard(args.shard);
    parsed.emplace(Parsed{load_plan(args, root), shard});
  } catch (const InputError& e) {
    if (!mpi.active) throw;
    load_error = e.what();
  }
  if (mpi.active && mpi_agree(load_error.empty() ? 0 : kBadInput) != 0) {
    if (root && !load_error.empty()) throw InputError(load_error);
    if (root)
      fmt::print(stderr,
                 "fourp: error: another MPI rank could not read the sweep (is every file "
                 "it names on every node?)\n");
    return std::nullopt;
  }
  return parsed;
}

// MPI ranks other than 0: run what rank 0 hands out, once it has started.
int work_for_rank_0(const SweepPlan& plan, const ExecOptions& exec) {
  if (const int status = mpi_share(0); status != 0) return status;  // rank 0 could not start
  mpi_work(plan, exec);
  return mpi_share(0);
}

// ---- Step 2, open journal: where the sweep stands before any run.

struct Session {
  fs::path out, journal_path;
  bool replace_out = false;  // the output may be replaced at the end
  std::optional<SweepJournal> journal;
  std::vector<RunStatus> status;  // per run, as the journal had it
  std::string findings;           // a line on the sensitivity estimates, once written
};

// The journal created, or reopened with --resume; the output checked before hours of work.
Session open_session(const SweepPlan& plan, const SweepArgs& args, Shard shard) {
  Session s;
  const std::string stem = fs::path(args.sweep).stem().string();
  s.out = !args.output.empty() ? fs::path(args.output)
          : shard.count > 1
              ? fs::path(fmt::format("{}.shard-{}-of-{}.h5", stem, shard.index, shard.count))
              : fs::path(stem + ".h5");
  s.journal_path = fs::path(s.out.string() + ".journal");
  std::error_code ec;
  const bool journal_exists = fs::exists(s.journal_path, ec);
  const bool out_exists = fs::exists(s.out, ec);
  if (args.resume && journal_exists) {
    s.journal.emplace(SweepJournal::open(s.journal_path, plan.layout, shard.index, shard.count));
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
    s.journal.emplace(SweepJournal::create(s.journal_path, plan.layout, shard.index, shard.count));
  }
  uint64_t damaged = 0;
  s.status = s.journal->scan(&damaged);
  if (args.resume && !args.quiet) {
    const auto done =
        static_cast<uint64_t>(std::count_if(s.status.begin(), s.status.end(), [](RunStatus x) {
          return x != RunStatus::not_recorded;
        }));
    fmt::print(stderr,
               "fourp: resuming {}: {} of {} runs recorded, {} damaged record{} dropped{}\n",
               s.journal_path.string(), done, s.status.size(), damaged, damaged == 1 ? "" : "s",
               damaged > 0 ? " (those runs run again)" : "");
  }
  return s;
}

// Rank 0 tells the other ranks whether it could start: nothing (exit 2) when it could not.
std::optional<Session> open_journal(const SweepPlan& plan, const SweepArgs& args, Shard shard,
                                    const MpiWorld& mpi) {
  std::optional<Session> session;
  try {
    session.emplace(open_session(plan, args, shard));
  } catch (const InputError& e) {
    if (!mpi.active) throw;
    const std::string what = e.what();
    fmt::print(stderr, "{}{}", what, what.ends_with('\n') ? "" : "\n");
    mpi_share(kBadInput);
    return std::nullopt;
  }
  if (mpi.active) mpi_share(0);
  return session;
}

// ---- Step 3, plan: which runs are to run.

// The runs of the shard (every run for the whole sweep).
uint64_t runs_in_shard(const SweepLayout& L, Shard shard) {
  if (shard.count <= 1) return L.runs();
  return (L.tasks() / shard.count + (shard.index < L.tasks() % shard.count)) * L.arms.size();
}

// Every run of the shard not done yet: not recorded, or failed with --retry-failed.
TaskQueue plan_runs(const SweepLayout& L, Shard shard, const Session& session, bool retry_failed) {
  return TaskQueue(L, shard.index, shard.count, [&session, retry_failed](uint64_t run) {
    return session.status[run] == RunStatus::ok ||
           (session.status[run] == RunStatus::failed && !retry_failed);
  });
}

void print_plan(const SweepLayout& L, Shard shard, const TaskQueue& queue, const MpiWorld& mpi) {
  const uint64_t in_scope = runs_in_shard(L, shard);
  fmt::print(stderr,
             "fourp: sweep {}: {} design, {} samples x {} arms x {} replicates = {} "
             "runs{}{}\n",
             L.name, L.design, L.sample_count(), L.arms.size(), L.replicates, L.runs(),
             shard.count > 1
                 ? fmt::format("; shard {}/{}: {} runs", shard.index, shard.count, in_scope)
                 : "",
             mpi.active ? fmt::format("; {} MPI ranks", mpi.size) : "");
  if (queue.pending_runs() < in_scope)
    fmt::print(stderr, "fourp: resuming: {} runs done, {} to run\n",
               in_scope - queue.pending_runs(), queue.pending_runs());
}

// ---- Step 4, run: every planned run, recorded in the journal as it ends.

std::string run_name(const SweepLayout& L, uint64_t run) {
  const RunPlan p = L.run(run);
  return fmt::format("run {} (sample {}, arm {}, replicate {})", run, p.sample, L.arms[p.arm],
                     p.replicate);
}

// Runs here (or across the MPI ranks) with a progress bar and the first ten failures shown.
// Returns the tasks each MPI rank ran (empty without MPI).
std::vector<uint64_t> run_sweep(const SweepPlan& plan, const ExecOptions& exec,
                                const SweepArgs& args, SweepJournal& journal, TaskQueue& queue,
                                const MpiWorld& mpi) {
  ProgressBar bar("runs", 1, args.quiet);
  std::atomic<uint64_t> recorded{0};
  std::mutex print_mutex;
  int failures_shown = 0;
  const uint64_t to_run = queue.pending_runs();
  JournalWriter writer(
      journal,
      [&](const RunRecord& r) {
        bar.update(++recorded, to_run);
        if (r.ok || args.quiet) return;
        std::lock_guard lock(print_mutex);
        if (++failures_shown <= 10) {
          bar.finish();
          fmt::print(stderr, "fourp: {} failed: {}\n", run_name(plan.layout, r.run), r.error);
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
      mpi_abort(kOtherFailure);
    }
    throw;
  }
  bar.finish();
  return tasks_per_rank;
}

// What the journal holds of the shard's runs after the run step.
struct Outcome {
  uint64_t missing = 0, failed = 0;
};

Outcome count_outcome(const SweepLayout& L, Shard shard, const std::vector<RunStatus>& status) {
  Outcome o;
  for (uint64_t t = shard.index; t < L.tasks(); t += shard.count)
    for (uint64_t a = 0; a < L.arms.size(); ++a) {
      const RunStatus st = status[t * L.arms.size() + a];
      o.missing += st == RunStatus::not_recorded;
      o.failed += st == RunStatus::failed;
    }
  return o;
}

// ---- Step 5, write: the sweep or shard file from the journal, then the journal removed.

// "Sobol' indices: 7 of 24 determined (…)", for the line after "wrote": how far the estimates
// can be trusted, before the report is opened.
std::string findings_of(const SweepLayout& L, const SweepSummary& s) {
  if (s.sobol.empty()) return "";
  size_t read = 0, determined = 0, not_read = 0;
  for (const SobolResult& r : s.sobol) {
    if (!r.read) {
      ++not_read;
      continue;
    }
    read += 2;
    determined += r.first.determined + r.total.determined;
  }
  return fmt::format(
      "Sobol' indices: {} of {} determined (first order and total, over {} arms "
      "x {} metrics; {} parameter-arm pairs not used); `fourp report` says what "
      "the others would need\n",
      determined, read, L.arms.size(), L.metrics.size(),
      not_read / std::max<size_t>(1, L.metrics.size()));
}

void write_output(const SweepLayout& L, Shard shard, Session& session) {
  if (shard.count > 1) {
    write_shard_file(L, *session.journal, session.out, session.replace_out, shard.index,
                     shard.count);
    return;
  }
  const SweepSummary summary = summarise_journal(L, *session.journal);
  write_sweep_file(L, *session.journal, summary, session.out, session.replace_out);
  session.findings = findings_of(L, summary);
}

// ---- Step 6, report status: what was written, or what is saved to resume; the exit status.

int share_status(const MpiWorld& mpi, int status) {
  return mpi.active ? mpi_share(status) : status;
}

int report_interrupted(const Session& session, uint64_t in_scope, const Outcome& outcome,
                       const MpiWorld& mpi) {
  fmt::print(stderr,
             "fourp: interrupted: {} of {} runs are saved in {}; continue with "
             "--resume\n",
             in_scope - outcome.missing, in_scope, session.journal_path.string());
  return share_status(mpi, caught_signal() ? 128 + caught_signal() : kOtherFailure);
}

int report_written(const SweepArgs& args, const Session& session, Shard shard, uint64_t in_scope,
                   const Outcome& outcome, const std::vector<uint64_t>& tasks_per_rank,
                   const MpiWorld& mpi) {
  if (!args.quiet) {
    fmt::print("wrote {}: {} runs{}\n", session.out.string(), in_scope,
               outcome.failed
                   ? fmt::format(", {} failed (see /runs: ok = 0, error)", outcome.failed)
                   : "");
    fmt::print("{}", session.findings);
    if (mpi.active) fmt::print("tasks run by each MPI rank: {}\n", fmt::join(tasks_per_rank, ", "));
    if (shard.count > 1 && args.output.empty())
      fmt::print("when every shard is done: fourp merge {}.shard-*-of-{}.h5 -o {}.h5\n",
                 fs::path(args.sweep).stem().string(), shard.count,
                 fs::path(args.sweep).stem().string());
  }
  return share_status(mpi, outcome.failed ? kSomeRunsFailed : kDone);
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
  const ExecOptions exec = exec_options(args);

  const std::optional<Parsed> parsed = parse_sweep(args, mpi);
  if (!parsed) return kBadInput;
  const SweepPlan& plan = parsed->plan;
  const SweepLayout& L = plan.layout;
  const Shard shard = parsed->shard;
  if (mpi.active && mpi.rank != 0) return work_for_rank_0(plan, exec);

  std::optional<Session> session = open_journal(plan, args, shard, mpi);
  if (!session) return kBadInput;
  // Ctrl-C or kill: stop taking tasks (the journal keeps every finished run). Under MPI (ranks
  // wait on each other) remove any temporary file and leave at once — the journal is durable,
  // --resume continues.
  catch_signals(mpi.active ? OnSignal::leave : OnSignal::cancel);

  TaskQueue queue = plan_runs(L, shard, *session, args.retry_failed);
  if (!args.quiet) print_plan(L, shard, queue, mpi);

  const std::vector<uint64_t> tasks_per_rank =
      run_sweep(plan, exec, args, *session->journal, queue, mpi);
  const uint64_t in_scope = runs_in_shard(L, shard);
  session->status = session->journal->scan();
  const Outcome outcome = count_outcome(L, shard, session->status);
  if (cancelled() || outcome.missing > 0)
    return report_interrupted(*session, in_scope, outcome, mpi);

  {
    const LeaveOnSignal writing;  // a signal now removes the temporary file and leaves
    if (cancelled()) return 128 + caught_signal();
    write_output(L, shard, *session);
  }
  session->journal->remove();
  return report_written(args, *session, shard, in_scope, outcome, tasks_per_rank, mpi);
}

int sweep_report_command(const ReportArgs& args, const fs::path& out) {
  if (!args.csv.empty())
    throw InputError(
        fmt::format("{}: error: --csv is for results files; a sweep file's tables "
                    "(/summary, /noise, /sobol, /morris, /runs) read directly in pandas or R\n",
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
