#include "output/results_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "output/decision_file.h"
#include "output/fsync_directory.h"
#include "output/h5.h"
#include "output/output_target.h"
#include "output/timestamp.h"
#include "sim/diagnostics.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

// ---- atomic writes

std::string where(const fs::path& p) {
  return p.string();
}

fs::path directory_of(const fs::path& p) {
  return p.has_parent_path() ? p.parent_path() : fs::path(".");
}

// The temporary file being written, for remove_pending_outputs(). A fixed buffer and a lock-free
// flag, because a signal handler may read them at any moment: the path is complete before the
// flag is set and the flag is cleared before the path changes.
char g_pending_path[4096];
std::atomic<bool> g_pending{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// Creates the temporary file and holds an exclusive flock(2) on it while it exists, so that a
// later write can tell a temporary file whose writer died (SIGKILL, power loss: no handler ran)
// from one being written (remove_stale_temporaries). Registers it for remove_pending_outputs;
// removes it when the write ends, whatever the outcome (after a successful rename it is already
// gone, after a hard link it is the spare name).
class PendingOutput {
 public:
  PendingOutput(fs::path temp, const fs::path& target) : temp_(std::move(temp)) {
    if (g_pending.load())
      throw std::logic_error("write_atomically: another output is being written");
    // Truncates a dead process's file that had this process's id.
    fd_ = ::open(temp_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) {
      const int err = errno;
      throw std::runtime_error(fmt::format("{}: error: cannot create {}: {}", where(target),
                                           where(temp_), strerror(err)));
    }
    (void)::flock(fd_, LOCK_EX | LOCK_NB);  // file systems without locks: no clean-up, no harm
    const std::string s = temp_.string();
    if (s.size() < sizeof g_pending_path) {
      std::memcpy(g_pending_path, s.c_str(), s.size() + 1);
      g_pending.store(true);
    }
  }
  ~PendingOutput() {
    g_pending.store(false);
    ::unlink(temp_.c_str());
    ::close(fd_);
  }
  PendingOutput(const PendingOutput&) = delete;
  PendingOutput& operator=(const PendingOutput&) = delete;

 private:
  fs::path temp_;
  int fd_ = -1;
};

// Removes the temporary files `.<name>.tmp-*` of writes to `target` whose writer is gone: nobody
// holds their lock. One being written by a live process is locked and stays.
void remove_stale_temporaries(const fs::path& target) {
  const std::string prefix = fmt::format(".{}.tmp-", target.filename().string());
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory_of(target), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(entry.path().c_str());
    ::close(fd);
  }
}

InputError exists_error(const fs::path& path) {
  return InputError(
      fmt::format("{}: error: file exists (use --overwrite to replace it)", where(path)));
}

// Data and metadata on the disk before the rename makes the file visible under its name: after a
// crash the target is either the old file or the complete new one.
void fsync_file(const fs::path& file, const fs::path& target) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    throw std::runtime_error(
        fmt::format("{}: error: cannot sync {}: {}", where(target), where(file), strerror(err)));
  }
  ::close(fd);
}

void move_into_place(const fs::path& temp, const fs::path& target, bool overwrite) {
  if (!overwrite) {
    // link(2) fails with EEXIST instead of replacing: no window in which a file created since
    // check_output_path could be overwritten.
    if (::link(temp.c_str(), target.c_str()) == 0) return;
    if (errno == EEXIST) throw exists_error(target);
    // File systems without hard links (EPERM, ENOTSUP …): check, then rename.
    if (fs::exists(target)) throw exists_error(target);
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    throw std::runtime_error(fmt::format("{}: error: cannot rename {} to it: {}", where(target),
                                         where(temp), strerror(err)));
  }
}

// ---- validation (std::invalid_argument: these are bugs of the caller, not of the user)

void check_name(const std::string& name, std::string_view what) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
    throw std::invalid_argument(
        fmt::format("write_results: {} name '{}' cannot name an HDF5 object", what, name));
}

void check_names(const std::vector<std::string>& names, std::string_view what) {
  std::set<std::string> seen;
  for (const std::string& n : names) {
    check_name(n, what);
    if (!seen.insert(n).second)
      throw std::invalid_argument(fmt::format("write_results: {} '{}' appears twice", what, n));
  }
}

void check_results(const Results& r) {
  if (r.steps < 0) throw std::invalid_argument("write_results: negative step count");
  check_names(r.series_names, "metric");
  check_names(r.total_names, "total");
  for (const std::string& t : r.total_names)
    if (t == "replicate")
      throw std::invalid_argument("write_results: a total cannot be named 'replicate'");
  std::vector<std::string> arms;
  for (const ArmResult& a : r.arms) arms.push_back(a.name);
  check_names(arms, "arm");
  std::vector<std::string> compared;
  for (const Comparison& c : r.comparisons) compared.push_back(c.arm);
  check_names(compared, "compared arm");
  check_names(r.parameter_names, "uncertain parameter");
  for (const std::string& p : r.parameter_names)
    if (p == "replicate")
      throw std::invalid_argument("write_results: a parameter cannot be named 'replicate'");
  if (!r.parameter_names.empty() && r.parameters.size() != r.replicates)
    throw std::invalid_argument(
        fmt::format("write_results: {} rows of parameters for {} replicates", r.parameters.size(),
                    r.replicates));
  for (const auto& row : r.parameters)
    if (row.size() != r.parameter_names.size())
      throw std::invalid_argument("write_results: a row of parameters has the wrong length");
}

// Per-replicate sizes, checked as each arm is written.
void check_arm(const Results& r, const ArmResult& arm, bool& subgroup, bool& communities) {
  const size_t rows = r.rows(), metrics = r.series_names.size();
  const auto bad = [&](size_t rep, std::string_view what, size_t got, size_t want) {
    return std::invalid_argument(
        fmt::format("write_results: arm '{}' replicate {}: {} has {} values, expected {}", arm.name,
                    rep, what, got, want));
  };
  if (arm.replicates.size() != r.replicates)
    throw std::invalid_argument(fmt::format("write_results: arm '{}' has {} replicates, not {}",
                                            arm.name, arm.replicates.size(), r.replicates));
  subgroup = !arm.replicates.empty() && !arm.replicates[0].subgroup.empty();
  if (subgroup && r.outputs.subgroup.empty())
    throw std::invalid_argument(fmt::format(
        "write_results: arm '{}' has subgroup series but no subgroup is declared", arm.name));
  communities = !arm.replicates.empty() && !arm.replicates[0].communities.empty();
  for (size_t i = 0; i < arm.replicates.size(); ++i) {
    const RunResult& run = arm.replicates[i];
    if (run.series.size() != metrics * rows)
      throw bad(i, "series", run.series.size(), metrics * rows);
    if (run.subgroup.size() != (subgroup ? metrics * rows : 0))
      throw bad(i, "subgroup", run.subgroup.size(), subgroup ? metrics * rows : 0);
    const size_t c = communities ? metrics * rows * r.communities : 0;
    if (run.communities.size() != c) throw bad(i, "communities", run.communities.size(), c);
    if (run.totals.size() != r.total_names.size())
      throw bad(i, "totals", run.totals.size(), r.total_names.size());
  }
}

// ---- writing

h5::Type column_type(Column::Type t) {
  switch (t) {
    case Column::Type::u8:
      return h5::Type::u8;
    case Column::Type::u32:
      return h5::Type::u32;
    case Column::Type::f32:
      return h5::Type::f32;
    default:
      return h5::Type::f64;
  }
}

// [replicate, step] of one metric from the runs' [metric][row] series.
template <class T>
std::vector<T> gather(const ArmResult& arm, size_t metric, size_t block,
                      std::vector<T> RunResult::*member) {
  std::vector<T> out;
  out.reserve(arm.replicates.size() * block);
  for (const RunResult& run : arm.replicates) {
    const auto begin = (run.*member).begin() + static_cast<std::ptrdiff_t>(metric * block);
    out.insert(out.end(), begin, begin + static_cast<std::ptrdiff_t>(block));
  }
  return out;
}

void write_series_group(const h5::Handle& arm_group, const std::string& group_name,
                        const Results& r, const ArmResult& arm,
                        std::vector<double> RunResult::*member) {
  h5::Handle g = h5::create_group(arm_group, group_name);
  const std::vector<uint64_t> dims{arm.replicates.size(), r.rows()};
  for (size_t m = 0; m < r.series_names.size(); ++m) {
    const std::vector<double> v = gather(arm, m, r.rows(), member);
    h5::write_array<double>(g, r.series_names[m], v, dims, h5::Compress::yes);
    h5::write_attr(h5::open_dataset(g, r.series_names[m]), "axes", "replicate,step");
  }
}

void write_arm(const h5::Handle& arms, const Results& r, const ArmResult& arm) {
  bool subgroup = false, by_community = false;
  check_arm(r, arm, subgroup, by_community);
  h5::Handle g = h5::create_group(arms, arm.name);
  h5::write_attr(g, "interventions", arm.interventions);

  write_series_group(g, "series", r, arm, &RunResult::series);
  if (subgroup) write_series_group(g, r.outputs.subgroup, r, arm, &RunResult::subgroup);
  if (by_community) {
    h5::Handle c = h5::create_group(g, "communities");
    const size_t block = r.rows() * r.communities;
    const std::vector<uint64_t> dims{arm.replicates.size(), r.rows(), r.communities};
    for (size_t m = 0; m < r.series_names.size(); ++m) {
      const std::vector<float> v = gather(arm, m, block, &RunResult::communities);
      h5::write_array<float>(c, r.series_names[m], v, dims, h5::Compress::yes);
      h5::write_attr(h5::open_dataset(c, r.series_names[m]), "axes", "replicate,step,community");
    }
  }

  h5::Table totals;
  h5::Field rep{"replicate", h5::Type::u32, {}, {}};
  for (size_t i = 0; i < arm.replicates.size(); ++i) rep.numbers.push_back(double(i));
  totals.fields.push_back(std::move(rep));
  for (size_t k = 0; k < r.total_names.size(); ++k) {
    h5::Field f{r.total_names[k], h5::Type::f64, {}, {}};
    for (const RunResult& run : arm.replicates) f.numbers.push_back(run.totals[k]);
    totals.fields.push_back(std::move(f));
  }
  h5::write_table(g, "totals", totals, h5::Compress::yes);

  // Snapshots are of replicate 0 only (RunResult).
  if (!arm.replicates.empty() && !arm.replicates[0].snapshots.empty()) {
    h5::Handle s = h5::create_group(g, "snapshots");
    std::set<int64_t> written;
    for (const Snapshot& snap : arm.replicates[0].snapshots) {
      // A step listed twice in outputs.snapshots is saved twice by the runner: same agents, same
      // step, so one copy is kept rather than failing at the end of a long run.
      if (!written.insert(snap.step).second) continue;
      h5::Table t;
      for (const Column& col : snap.columns) {
        check_name(col.name, "snapshot column");
        t.fields.push_back({col.name, column_type(col.type), col.values, {}});
      }
      const std::string name = fmt::format("step_{}", snap.step);
      h5::write_table(s, name, t, h5::Compress::yes);
      h5::Handle ds = h5::open_dataset(s, name);
      h5::write_attr(ds, "step", int64_t{snap.step});
      h5::write_attr(ds, "replicate", uint32_t{0});
    }
  }
}

void write_file(const Results& r, const fs::path& temp) {
  h5::File f = h5::File::create(temp);
  h5::write_attr(f, "format_version", kResultsFormatVersion);
  h5::write_attr(f, "fourp_version", r.fourp_version);
  h5::write_attr(f, "name", r.scenario_name);
  h5::write_attr(f, "scenario", r.scenario_yaml);
  h5::write_attr(f, "seed", uint64_t{r.seed});
  h5::write_attr(f, "replicates", uint32_t{r.replicates});
  h5::write_attr(f, "steps", int64_t{r.steps});
  h5::write_attr(f, "step_unit", r.step_unit);
  h5::write_attr(f, "currency", r.currency);
  h5::write_attr(f, "baseline_arm", r.baseline_arm);
  h5::write_attr(f, "communities", uint32_t{r.communities});
  h5::write_attr(f, "series_names", r.series_names);
  h5::write_attr(f, "total_names", r.total_names);
  h5::write_attr(f, "created_utc", utc_now());

  {
    h5::Handle arms = h5::create_group(f, "arms");
    for (const ArmResult& arm : r.arms) write_arm(arms, r, arm);
  }
  {
    h5::Handle cmp = h5::create_group(f, "comparison");
    for (const Comparison& c : r.comparisons) {
      h5::Table t;
      h5::Field quantity{"quantity", h5::Type::string, {}, {}};
      h5::Field mean{"mean", h5::Type::f64, {}, {}}, low{"low", h5::Type::f64, {}, {}},
          high{"high", h5::Type::f64, {}, {}};
      for (const Difference& d : c.differences) {
        quantity.strings.push_back(d.quantity);
        mean.numbers.push_back(d.mean);
        low.numbers.push_back(d.low);
        high.numbers.push_back(d.high);
      }
      t.fields = {std::move(quantity), std::move(mean), std::move(low), std::move(high)};
      h5::write_table(cmp, c.arm, t, h5::Compress::no);
      h5::write_attr(h5::open_dataset(cmp, c.arm), "baseline", c.baseline);
    }
  }
  if (!r.parameter_names.empty()) {  // one row a replicate: its drawn uncertain parameters
    h5::Table t;
    h5::Field rep{"replicate", h5::Type::u32, {}, {}};
    for (size_t i = 0; i < r.parameters.size(); ++i) rep.numbers.push_back(double(i));
    t.fields.push_back(std::move(rep));
    for (size_t k = 0; k < r.parameter_names.size(); ++k) {
      h5::Field col{r.parameter_names[k], h5::Type::f64, {}, {}};
      for (const auto& row : r.parameters) col.numbers.push_back(row[k]);
      t.fields.push_back(std::move(col));
    }
    h5::write_table(f, "parameters", t, h5::Compress::yes);
  }
  if (r.decision) write_decision(f, *r.decision);
  {
    h5::Handle net = h5::create_group(f, "network");
    h5::write_attr(net, "nodes", uint32_t{r.network.nodes});
    h5::write_attr(net, "edges", uint64_t{r.network.edges});
    h5::write_attr(net, "mean_degree", r.network.mean_degree);
    h5::write_attr(net, "clustering", r.network.clustering);
    const std::vector<uint64_t> c_dims{r.community_sizes.size()};
    h5::write_array<uint32_t>(net, "community_sizes", r.community_sizes, c_dims, h5::Compress::no);
    const std::vector<uint64_t> d_dims{r.network.degree_histogram.size()};
    h5::write_array<uint64_t>(net, "degree_histogram", r.network.degree_histogram, d_dims,
                              h5::Compress::no);
  }
  f.close();
}

// ---- reading

class Reader {
 public:
  Reader(const fs::path& path, SnapshotScope scope) : path_(path), scope_(scope) {}

  InputError error(std::string_view message) const {
    return InputError(fmt::format("{}: error: {}", where(path_), message));
  }

  template <class T>
  T attr(const h5::Handle& obj, const std::string& obj_path, const std::string& name) const {
    if (!h5::has_attr(obj, name))
      throw error(fmt::format("missing attribute '{}' of {}", name, obj_path));
    return h5::read_attr<T>(obj, name);
  }

  // Before HDF5 opens the object at `path` (one listed in its group): reached by hard links to
  // checksummed headers (h5::checked_exists).
  const std::string& trusted(const h5::Handle& f, const std::string& path) const {
    if (!h5::checked_exists(f, path)) throw error("missing object " + path);
    return path;
  }

  // The dataset at `path`, checked to have shape `dims`.
  h5::DatasetInfo dataset(const h5::Handle& f, const std::string& path,
                          const std::vector<uint64_t>& dims) const {
    if (!h5::checked_exists(f, path)) throw error("missing dataset " + path);
    h5::DatasetInfo info = h5::describe(f, path);
    if (info.dims != dims)
      throw error(fmt::format("dataset {} has shape [{}], expected [{}]", path,
                              fmt::join(info.dims, ", "), fmt::join(dims, ", ")));
    return info;
  }

  const h5::Field& field(const h5::Table& t, const std::string& table_path, const std::string& name,
                         bool numeric) const {
    for (const h5::Field& f : t.fields)
      if (f.name == name) {
        if (numeric == (f.type == h5::Type::string))
          throw error(fmt::format("field '{}' of {} has the wrong type", name, table_path));
        return f;
      }
    throw error(fmt::format("missing field '{}' in {}", name, table_path));
  }

  Results read() const;

 private:
  void read_arm(const h5::File& f, Results& r, ArmResult& arm) const;
  fs::path path_;
  SnapshotScope scope_;
  mutable bool have_initial_snapshot_ = false;  // SnapshotScope::first_initial
};

Column::Type to_column_type(h5::Type t) {
  switch (t) {
    case h5::Type::u8:
      return Column::Type::u8;
    case h5::Type::u32:
      return Column::Type::u32;
    case h5::Type::f32:
      return Column::Type::f32;
    default:
      return Column::Type::f64;
  }
}

void Reader::read_arm(const h5::File& f, Results& r, ArmResult& arm) const {
  const std::string base = "/arms/" + arm.name;
  const size_t reps = r.replicates, rows = r.rows(), metrics = r.series_names.size();
  {
    h5::Handle g = h5::open_group(f, trusted(f, base));
    arm.interventions = attr<std::vector<std::string>>(g, base, "interventions");
  }
  arm.replicates.assign(reps, RunResult{});

  // [replicate, step] datasets scattered back into each run's [metric][row] vector.
  const auto read_series = [&](const std::string& group, std::vector<double> RunResult::*member) {
    for (RunResult& run : arm.replicates) (run.*member).resize(metrics * rows);
    for (size_t m = 0; m < metrics; ++m) {
      const std::string p = fmt::format("{}/{}/{}", base, group, r.series_names[m]);
      dataset(f, p, {reps, rows});
      const std::vector<double> v = h5::read_array<double>(f, p);
      for (size_t i = 0; i < reps; ++i)
        std::copy_n(v.begin() + static_cast<std::ptrdiff_t>(i * rows), rows,
                    (arm.replicates[i].*member).begin() + static_cast<std::ptrdiff_t>(m * rows));
    }
  };
  read_series("series", &RunResult::series);
  // The declared subgroup's series: the one group of another name (at most one is written).
  for (const std::string& g : h5::children(f, base))
    if (g != "series" && g != "communities" && g != "totals" && g != "snapshots") {
      r.outputs.subgroup = g;
      read_series(g, &RunResult::subgroup);
      break;
    }

  if (h5::checked_exists(f, base + "/communities")) {
    const size_t block = rows * r.communities;
    for (RunResult& run : arm.replicates) run.communities.resize(metrics * block);
    for (size_t m = 0; m < metrics; ++m) {
      const std::string p = fmt::format("{}/communities/{}", base, r.series_names[m]);
      dataset(f, p, {reps, rows, r.communities});
      const std::vector<float> v = h5::read_array<float>(f, p);
      for (size_t i = 0; i < reps; ++i)
        std::copy_n(v.begin() + static_cast<std::ptrdiff_t>(i * block), block,
                    arm.replicates[i].communities.begin() + static_cast<std::ptrdiff_t>(m * block));
    }
  }

  const std::string totals_path = base + "/totals";
  dataset(f, totals_path, {reps});
  const h5::Table totals = h5::read_table(f, totals_path);
  for (RunResult& run : arm.replicates) run.totals.resize(r.total_names.size());
  for (size_t k = 0; k < r.total_names.size(); ++k) {
    const h5::Field& col = field(totals, totals_path, r.total_names[k], true);
    for (size_t i = 0; i < reps; ++i) arm.replicates[i].totals[k] = col.numbers[i];
  }

  const std::string snaps = base + "/snapshots";
  if (h5::checked_exists(f, snaps) && reps > 0) {
    for (const std::string& name : h5::children(f, snaps)) {
      const std::string p = snaps + "/" + name;
      Snapshot s;
      {
        h5::Handle ds = h5::open_dataset(f, trusted(f, p));
        s.step = attr<int64_t>(ds, p, "step");
      }
      if (scope_ == SnapshotScope::first_initial) {  // millions of rows each: read only one
        if (s.step != 0 || have_initial_snapshot_) continue;
        have_initial_snapshot_ = true;
      }
      for (h5::Field& col : h5::read_table(f, p).fields) {
        if (col.type == h5::Type::string)
          throw error(fmt::format("field '{}' of {} is not numeric", col.name, p));
        s.columns.push_back({col.name, to_column_type(col.type), std::move(col.numbers)});
      }
      arm.replicates[0].snapshots.push_back(std::move(s));
    }
  }
}

Results Reader::read() const {
  if (!fs::exists(path_)) throw error("no such file");
  if (fs::is_directory(path_)) throw error("is a directory");
  if (!h5::File::is_hdf5(path_)) throw error("not an HDF5 file");
  // HDF5 verifies checksums on every metadata object of the format fourp writes; in older files
  // it trusts damaged structures, and HDF5 1.10 then can hang or read outside its buffers
  // (docs/reliability.md). Such files are refused before HDF5 reads them.
  const h5::Format format = h5::check_format(path_);
  if (format.superblock_version < 2)
    throw error(fmt::format(
        "written without checksummed HDF5 metadata (superblock version {}), as fourp wrote results "
        "files until 2026-12-02: run the scenario again to write it anew",
        format.superblock_version));
  if (!format.root_checksummed) throw error("damaged HDF5 file: no checksummed root group header");
  Results r;
  try {
    const h5::File f = h5::File::open(path_);
    if (!h5::has_attr(f, "format_version"))
      throw error("not a fourp results file (no format_version attribute)");
    const int64_t version = h5::read_attr<int64_t>(f, "format_version");
    if (version != kResultsFormatVersion)
      throw error(
          fmt::format("results file format_version {} is not supported (this fourp reads {})",
                      version, kResultsFormatVersion));
    r.fourp_version = attr<std::string>(f, "/", "fourp_version");
    r.scenario_name = attr<std::string>(f, "/", "name");
    r.scenario_yaml = attr<std::string>(f, "/", "scenario");
    r.seed = attr<uint64_t>(f, "/", "seed");
    r.replicates = attr<uint32_t>(f, "/", "replicates");
    r.steps = attr<int64_t>(f, "/", "steps");
    if (r.steps < 0) throw error("attribute 'steps' of / is negative");
    r.step_unit = attr<std::string>(f, "/", "step_unit");
    r.currency = attr<std::string>(f, "/", "currency");
    r.baseline_arm = attr<std::string>(f, "/", "baseline_arm");
    r.communities = attr<uint32_t>(f, "/", "communities");
    r.series_names = attr<std::vector<std::string>>(f, "/", "series_names");
    r.total_names = attr<std::vector<std::string>>(f, "/", "total_names");

    if (!h5::checked_exists(f, "/arms")) throw error("missing group /arms");
    for (const std::string& name : h5::children(f, "/arms")) {
      ArmResult arm;
      arm.name = name;
      read_arm(f, r, arm);
      r.arms.push_back(std::move(arm));
    }

    if (h5::checked_exists(f, "/comparison")) {
      for (const std::string& name : h5::children(f, "/comparison")) {
        const std::string p = "/comparison/" + name;
        Comparison c;
        c.arm = name;
        {
          h5::Handle ds = h5::open_dataset(f, trusted(f, p));
          c.baseline = attr<std::string>(ds, p, "baseline");
        }
        const h5::Table t = h5::read_table(f, p);
        const h5::Field& q = field(t, p, "quantity", false);
        const h5::Field& mean = field(t, p, "mean", true);
        const h5::Field& low = field(t, p, "low", true);
        const h5::Field& high = field(t, p, "high", true);
        for (size_t i = 0; i < t.rows(); ++i)
          c.differences.push_back({q.strings[i], mean.numbers[i], low.numbers[i], high.numbers[i]});
        r.comparisons.push_back(std::move(c));
      }
    }

    if (h5::checked_exists(f, "/parameters")) {  // only when the scenario had uncertainty
      dataset(f, "/parameters", {r.replicates});
      const h5::Table t = h5::read_table(f, "/parameters");
      field(t, "/parameters", "replicate", true);
      r.parameters.assign(r.replicates, {});
      for (const h5::Field& col : t.fields) {
        if (col.name == "replicate") continue;
        if (col.type == h5::Type::string)
          throw error(fmt::format("field '{}' of /parameters is not numeric", col.name));
        r.parameter_names.push_back(col.name);
        for (size_t i = 0; i < r.replicates; ++i) r.parameters[i].push_back(col.numbers[i]);
      }
    }

    if (h5::checked_exists(f, "/decision")) r.decision = read_decision(f);

    if (!h5::checked_exists(f, "/network")) throw error("missing group /network");
    {
      h5::Handle net = h5::open_group(f, "/network");
      r.network.nodes = attr<uint32_t>(net, "/network", "nodes");
      r.network.edges = attr<uint64_t>(net, "/network", "edges");
      r.network.mean_degree = attr<double>(net, "/network", "mean_degree");
      r.network.clustering = attr<double>(net, "/network", "clustering");
    }
    for (const char* p : {"/network/community_sizes", "/network/degree_histogram"})
      if (!h5::checked_exists(f, p)) throw error(fmt::format("missing dataset {}", p));
    r.community_sizes = h5::read_array<uint32_t>(f, "/network/community_sizes");
    r.network.degree_histogram = h5::read_array<uint64_t>(f, "/network/degree_histogram");
  } catch (const h5::Error& e) {
    // A damaged file or an object of an unexpected kind: bad input, named.
    throw error(e.what());
  }
  return r;
}

}  // namespace

void check_output_path(const fs::path& path, bool overwrite) {
  if (!path.has_filename() || path.filename() == "." || path.filename() == "..")
    throw InputError(fmt::format("{}: error: not a file name", where(path)));
  check_output_target(path);  // only a regular file that is no input (output/output_target.h)
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (fs::exists(st)) {
    if (fs::is_directory(st))
      throw InputError(fmt::format("{}: error: is a directory", where(path)));
    if (!overwrite) throw exists_error(path);
  }
  const fs::path dir = directory_of(path);
  if (!fs::exists(dir, ec))
    throw InputError(
        fmt::format("{}: error: directory '{}' does not exist", where(path), where(dir)));
  if (!fs::is_directory(dir, ec))
    throw InputError(fmt::format("{}: error: '{}' is not a directory", where(path), where(dir)));
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    const int err = errno;
    throw InputError(fmt::format("{}: error: cannot write to directory '{}': {}", where(path),
                                 where(dir), strerror(err)));
  }
}

void write_atomically(const fs::path& target, bool overwrite,
                      const std::function<void(const fs::path& temp)>& write) {
  check_output_path(target, overwrite);
  const fs::path dir = directory_of(target);
  const fs::path temp =
      dir / fmt::format(".{}.tmp-{}", target.filename().string(), static_cast<long>(::getpid()));
  remove_stale_temporaries(target);
  PendingOutput pending(temp, target);
  write(temp);
  fsync_file(temp, target);
  move_into_place(temp, target, overwrite);
  fsync_directory(dir);  // makes the rename durable
}

void write_report_text(const fs::path& path, bool overwrite, std::string_view text) {
  write_atomically(path, overwrite, [&](const fs::path& temp) {
    std::ofstream out(temp, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out)
      throw std::runtime_error(fmt::format("{}: error: cannot write the report", path.string()));
  });
}

void remove_pending_outputs() noexcept {
  if (g_pending.exchange(false)) ::unlink(g_pending_path);
}

void write_results(const Results& results, const fs::path& path, bool overwrite) {
  check_results(results);
  write_atomically(path, overwrite, [&](const fs::path& temp) {
    try {
      write_file(results, temp);
    } catch (const h5::Error& e) {
      throw std::runtime_error(fmt::format("{}: error: {}", where(path), e.what()));
    }
  });
}

Results read_results(const fs::path& path, SnapshotScope snapshots) {
  return Reader(path, snapshots).read();
}

}  // namespace fourp
