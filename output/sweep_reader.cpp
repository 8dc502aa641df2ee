// The sweep and shard files' reader (sweep_reader.h): attributes checked against the layout's
// hash, samples, and the tables of a whole sweep.
#include "output/sweep_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "output/h5_kinds.h"
#include "output/sweep_file.h"

namespace fourp {

namespace fs = std::filesystem;

InputError not_a_sweep_file(const fs::path& p, const std::string& why) {
  return InputError(fmt::format("{}: error: {}\n", p.string(), why));
}

SweepFileInfo read_sweep_info(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw not_a_sweep_file(path, "no such file");
  if (!h5::File::is_hdf5(path)) throw not_a_sweep_file(path, "not an HDF5 file");
  SweepFileInfo info;
  try {
    h5::File f = h5::File::open(path);
    if (!h5::has_attr(f, "kind")) throw not_a_sweep_file(path, "not a fourp sweep file");
    const std::string kind = h5::read_attr<std::string>(f, "kind");
    if (kind != kSweepKind && kind != kShardKind)
      throw not_a_sweep_file(path, fmt::format("not a fourp sweep file (kind '{}')", kind));
    const int64_t version = h5::read_attr<int64_t>(f, "sweep_format_version");
    if (version != kSweepFormatVersion)
      throw not_a_sweep_file(
          path, fmt::format("sweep format version {}; this fourp reads version {}", version,
                            kSweepFormatVersion));
    SweepLayout& L = info.layout;
    L.name = h5::read_attr<std::string>(f, "name");
    L.sweep_text = h5::read_attr<std::string>(f, "sweep");
    L.sweep_file = h5::read_attr<std::string>(f, "sweep_file");
    L.scenario_yaml = h5::read_attr<std::string>(f, "scenario");
    L.design = h5::read_attr<std::string>(f, "design");
    L.design_seed = h5::read_attr<uint64_t>(f, "design_seed");
    L.independent_seeds = h5::read_attr<uint32_t>(f, "independent_seeds") != 0;
    if (h5::has_attr(f, "sobol_base_samples"))
      L.sobol_base = h5::read_attr<uint32_t>(f, "sobol_base_samples");
    if (h5::has_attr(f, "morris_trajectories")) {
      L.morris_trajectories = h5::read_attr<uint32_t>(f, "morris_trajectories");
      L.morris_levels = h5::read_attr<uint32_t>(f, "morris_levels");
    }
    if (h5::has_attr(f, "bootstrap")) L.bootstrap = h5::read_attr<uint32_t>(f, "bootstrap");
    L.replicates = h5::read_attr<uint32_t>(f, "replicates");
    L.arms = h5::read_attr<std::vector<std::string>>(f, "arms");
    L.baseline_arm = h5::read_attr<std::string>(f, "baseline_arm");
    L.parameters = h5::read_attr<std::vector<std::string>>(f, "parameters");
    if (h5::has_attr(f, "drawn_parameters"))  // only with uncertain parameters
      info.drawn_parameters = h5::read_attr<std::vector<std::string>>(f, "drawn_parameters");
    L.totals = h5::read_attr<std::vector<std::string>>(f, "totals");
    L.metrics = h5::read_attr<std::vector<std::string>>(f, "metrics");
    const auto reads = h5::read_attr<std::vector<std::string>>(f, "arm_reads");
    if (reads.size() != L.arms.size())
      throw not_a_sweep_file(path, "arm_reads does not have one word per arm");
    L.reads.clear();
    for (const std::string& w : reads) {
      if (w.size() != L.parameters.size() || w.find_first_not_of("01") != std::string::npos)
        throw not_a_sweep_file(path, "arm_reads does not have one 0 or 1 per parameter");
      for (char c : w) L.reads.push_back(c == '1' ? 1 : 0);
    }
    const std::string hash = h5::read_attr<std::string>(f, "hash");
    L.hash = std::stoull(hash, nullptr, 16);
    const uint32_t S = h5::read_attr<uint32_t>(f, "samples");
    const h5::Table samples = h5::read_table(f, "samples");
    L.samples.assign(size_t{S} * L.parameters.size(), 0);
    for (size_t i = 0; i < L.parameters.size(); ++i) {
      auto field = std::find_if(samples.fields.begin(), samples.fields.end(),
                                [&](const h5::Field& x) { return x.name == L.parameters[i]; });
      if (field == samples.fields.end() || field->numbers.size() != S)
        throw not_a_sweep_file(path,
                               fmt::format("samples table lacks parameter '{}'", L.parameters[i]));
      for (uint32_t j = 0; j < S; ++j)
        L.samples[size_t{j} * L.parameters.size() + i] = field->numbers[j];
    }
    info.is_shard = kind == kShardKind;
    if (info.is_shard) {
      info.shard = h5::read_attr<uint32_t>(f, "shard_index");
      info.shards = h5::read_attr<uint32_t>(f, "shard_count");
    }
    info.runs = h5::read_attr<uint64_t>(f, "runs");
    info.failed_runs = h5::read_attr<uint64_t>(f, "failed_runs");
    if (L.compute_hash() != L.hash) {
      const std::string version_written = h5::read_attr<std::string>(f, "fourp_version");
      throw not_a_sweep_file(path,
                             version_written != FOURP_VERSION
                                 ? fmt::format("written by fourp {}; this is fourp {}, whose "
                                               "results may differ",
                                               version_written, FOURP_VERSION)
                                 : std::string("its contents do not match its hash (damaged?)"));
    }
  } catch (const h5::Error& e) {
    throw not_a_sweep_file(path, fmt::format("not a readable fourp sweep file: {}", e.what()));
  } catch (const std::invalid_argument&) {
    throw not_a_sweep_file(path, "not a readable fourp sweep file (bad hash)");
  }
  return info;
}

bool is_sweep_file(const fs::path& path) {
  return has_file_kind(path, kSweepKind);
}

SweepResults read_sweep_results(const fs::path& path) {
  SweepResults r;
  r.info = read_sweep_info(path);
  if (r.info.is_shard)
    throw not_a_sweep_file(path, "a shard file: merge the shards first (fourp merge)");
  try {
    h5::File f = h5::File::open(path);
    r.samples = h5::read_table(f, "samples");
    r.summary = h5::read_table(f, "summary");
    r.noise = h5::read_table(f, "noise");
    if (h5::exists(f, "sobol")) r.sobol = h5::read_table(f, "sobol");
    if (h5::exists(f, "morris")) r.morris = h5::read_table(f, "morris");
  } catch (const h5::Error& e) {
    throw not_a_sweep_file(path, fmt::format("not a readable fourp sweep file: {}", e.what()));
  }
  return r;
}

}  // namespace fourp
