#include "app/serve/run_queue.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include "app/serve/scenario_form.h"
#include "app/serve/workspace.h"
#include "output/report_html.h"
#include "output/results_file.h"
#include "sim/number_words.h"
#include "sim/runner.h"

namespace fourp::serve {

namespace fs = std::filesystem;
using nlohmann::json;

struct RunQueue::Job {
  int id = 0;
  std::string scenario;  // workspace-relative
  app::ScenarioInput input;
  int threads = 0;
  std::string state = "queued";
  std::atomic<size_t> done{0}, total{0};
  std::atomic<bool> cancel{false};
  std::chrono::steady_clock::time_point started;
  double elapsed = 0;
  std::string results, report, error;
  uint64_t version = 0;  // bumped on every change of state or progress seen by wait()
};

RunQueue::RunQueue(const Workspace& workspace, RunLimits limits, std::mutex& write_lock)
    : workspace_(workspace),
      limits_(limits),
      write_lock_(write_lock),
      worker_([this] { work(); }) {}

RunQueue::~RunQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& job : jobs_) job->cancel = true;
  }
  changed_.notify_all();
  worker_.join();
}

int RunQueue::submit(const RunRequest& request) {
  const std::optional<fs::path> file = workspace_.resolve(request.scenario);
  if (!file || !fs::is_regular_file(*file))
    throw InputError(fmt::format("{}: error: no such scenario in the workspace", request.scenario));
  std::vector<std::string> sets;
  if (request.replicates) sets.push_back(fmt::format("replicates={}", *request.replicates));
  auto job = std::make_shared<Job>();
  job->scenario = request.scenario;
  job->input =
      load_confined(*file, sets, [this](const fs::path& f) { return workspace_.contains(f); });
  const Scenario& s = job->input.scenario;
  const double work = static_cast<double>(s.population.size) * static_cast<double>(s.steps) *
                      s.replicates * static_cast<double>(s.arms.size());
  if (work > limits_.max_agent_steps)
    throw InputError(fmt::format(
        "{}: error: {} agents x {} steps x {} replicates x {} arms is {} agent-steps, more than "
        "this server's limit of {} (fourp serve --max-agent-steps)",
        request.scenario, s.population.size, s.steps, s.replicates, s.arms.size(), thousands(work),
        thousands(limits_.max_agent_steps)));
  job->threads = request.threads;
  if (limits_.max_threads > 0 && (job->threads == 0 || job->threads > limits_.max_threads))
    job->threads = limits_.max_threads;
  std::lock_guard lock(mutex_);
  job->id = next_id_++;
  jobs_.push_back(job);
  changed_.notify_all();
  return job->id;
}

bool RunQueue::cancel(int id) {
  std::lock_guard lock(mutex_);
  for (auto& job : jobs_)
    if (job->id == id && (job->state == "queued" || job->state == "running")) {
      job->cancel = true;
      if (job->state == "queued") job->state = "cancelled";
      ++job->version;
      changed_.notify_all();
      return true;
    }
  return false;
}

json RunQueue::describe(const Job& job) const {
  double elapsed = job.elapsed;
  if (job.state == "running")
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - job.started).count();
  return {{"id", job.id},
          {"scenario", job.scenario},
          {"state", job.state},
          {"done", job.done.load()},
          {"total", job.total.load()},
          {"elapsed", elapsed},
          {"results", job.results},
          {"report", job.report},
          {"error", job.error},
          {"version", job.version},
          {"runs", job.input.scenario.arms.size() * job.input.scenario.replicates},
          {"steps", job.input.scenario.steps}};
}

std::optional<json> RunQueue::status(int id) const {
  std::lock_guard lock(mutex_);
  for (const auto& job : jobs_)
    if (job->id == id) return describe(*job);
  return std::nullopt;
}

json RunQueue::all() const {
  std::lock_guard lock(mutex_);
  json list = json::array();
  for (const auto& job : jobs_) list.push_back(describe(*job));
  return list;
}

std::optional<json> RunQueue::wait(int id, uint64_t version, int timeout_ms) const {
  std::unique_lock lock(mutex_);
  std::shared_ptr<Job> job;
  for (const auto& j : jobs_)
    if (j->id == id) job = j;
  if (!job) return std::nullopt;
  changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                    [&] { return job->version != version || stopping_; });
  return describe(*job);
}

void RunQueue::work() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] {
        if (stopping_) return true;
        for (auto& j : jobs_)
          if (j->state == "queued") return true;
        return false;
      });
      if (stopping_) return;
      for (auto& j : jobs_)
        if (j->state == "queued") {
          job = j;
          break;
        }
      job->state = "running";
      job->started = std::chrono::steady_clock::now();
      ++job->version;
    }
    changed_.notify_all();
    run(*job);
    changed_.notify_all();
  }
}

void RunQueue::run(Job& job) {
  const Scenario& s = job.input.scenario;
  std::string state = "done", error, results_name, report_name;
  try {
    RunOptions opt;
    opt.threads = job.threads;
    opt.cancel = &job.cancel;
    opt.network_file = job.input.network_file ? &*job.input.network_file : nullptr;
    auto last = std::chrono::steady_clock::now();
    opt.on_progress = [&](size_t done, size_t total) {
      job.done = done;
      job.total = total;
      const auto now = std::chrono::steady_clock::now();
      std::unique_lock lock(mutex_, std::try_to_lock);  // never hold up a worker thread
      if (lock.owns_lock() && (now - last > std::chrono::milliseconds(200) || done == total)) {
        last = now;
        ++job.version;
        changed_.notify_all();
      }
    };
    const Results results = run_scenario(s, opt);
    // results/<scenario stem>-<date and time>[-n].h5, beside its report.
    const std::string stem = fs::path(job.scenario).stem().string() + "-" +
                             fmt::format("{:%Y%m%d-%H%M%S}", fmt::localtime(std::time(nullptr)));
    const fs::path dir = workspace_.results_dir();
    fs::path out = dir / (stem + ".h5");
    for (int n = 2; fs::exists(out) || fs::exists(fs::path(out).replace_extension(".html")); ++n)
      out = dir / fmt::format("{}-{}.h5", stem, n);
    const fs::path report = fs::path(out).replace_extension(".html");
    std::lock_guard writing(write_lock_);
    write_results(results, out, false);
    report::write_report(results, &s, report, false);
    results_name = workspace_.name_of(out);
    report_name = workspace_.name_of(report);
  } catch (const Cancelled&) {
    state = "cancelled";
  } catch (const std::exception& e) {
    state = "failed";
    error = e.what();
  }
  std::lock_guard lock(mutex_);
  job.state = state;
  job.error = error;
  job.results = results_name;
  job.report = report_name;
  job.elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - job.started).count();
  ++job.version;
}

}  // namespace fourp::serve
