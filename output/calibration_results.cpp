#include "output/calibration_results.h"

#include <cmath>

#include <fmt/format.h>

#include "output/h5.h"
#include "output/h5_kinds.h"
#include "output/results_file.h"
#include "output/timestamp.h"
#include "sim/diagnostics.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

constexpr const char* kKind = "fourp calibration";

h5::Field numbers(std::string name, std::vector<double> v, h5::Type type = h5::Type::f64) {
  return {std::move(name), type, std::move(v), {}};
}

h5::Table particle_table(const CalibrationResults& r, const SmcGeneration& g) {
  h5::Table t;
  const size_t n = g.log_likelihood.size(), k = g.dimension;
  for (size_t j = 0; j < k; ++j) {
    std::vector<double> col(n);
    for (size_t i = 0; i < n; ++i) col[i] = g.theta[i * k + j];
    t.fields.push_back(numbers(r.parameters.at(j), std::move(col)));
  }
  t.fields.push_back(numbers("log_likelihood", g.log_likelihood));
  t.fields.push_back(numbers("weight", smc_weights(g)));
  return t;
}

void write_file(const CalibrationResults& r, const fs::path& temp) {
  h5::File f = h5::File::create(temp);
  h5::write_attr(f, "kind", kKind);
  h5::write_attr(f, "format_version", kCalibrationFormatVersion);
  h5::write_attr(f, "fourp_version", r.fourp_version);
  h5::write_attr(f, "calibration", r.calibration_text);
  h5::write_attr(f, "scenario", r.scenario_yaml);
  h5::write_attr(f, "arm", r.arm);
  h5::write_attr(f, "seed", uint64_t{r.seed});
  h5::write_attr(f, "particles", uint32_t{r.particles});
  h5::write_attr(f, "replicates", uint32_t{r.replicates});
  h5::write_attr(f, "parameters", r.parameters);
  h5::write_attr(f, "priors", r.priors);
  h5::write_attr(f, "created_utc", utc_now());

  std::vector<double> gen, temp_, ess, acc, rounds, evals, failed;
  for (const SmcGeneration& g : r.generations) {
    gen.push_back(g.generation);
    temp_.push_back(g.temperature);
    ess.push_back(g.ess);
    acc.push_back(g.acceptance_rate);
    rounds.push_back(g.move_rounds);
    evals.push_back(static_cast<double>(g.evaluations));
    failed.push_back(static_cast<double>(g.failed_evaluations));
  }
  h5::write_table(
      f, "generations",
      {{numbers("generation", gen, h5::Type::u32), numbers("temperature", temp_),
        numbers("ess", ess), numbers("acceptance_rate", acc),
        numbers("move_rounds", rounds, h5::Type::u32), numbers("evaluations", evals, h5::Type::u64),
        numbers("failed_evaluations", failed, h5::Type::u64)}},
      h5::Compress::no);
  for (const SmcGeneration& g : r.generations)
    h5::write_table(f, fmt::format("generation_{}", g.generation), particle_table(r, g),
                    h5::Compress::yes);
  if (!r.generations.empty())
    h5::write_table(f, "posterior", particle_table(r, r.generations.back()), h5::Compress::yes);

  h5::Table t;
  h5::Field target{"target", h5::Type::string, {}, {}}, kind{"kind", h5::Type::string, {}, {}};
  std::vector<double> observed, low, median, high;
  for (const TargetBand& b : r.targets) {
    target.strings.push_back(b.target);
    kind.strings.push_back(b.kind);
    observed.push_back(b.observed);
    low.push_back(b.low);
    median.push_back(b.median);
    high.push_back(b.high);
  }
  t.fields = {std::move(target),   std::move(kind),           numbers("observed", observed),
              numbers("low", low), numbers("median", median), numbers("high", high)};
  h5::write_table(f, "targets", t, h5::Compress::no);
  f.close();
}

}  // namespace

void write_calibration_results(const CalibrationResults& r, const fs::path& path, bool overwrite) {
  write_atomically(path, overwrite, [&](const fs::path& temp) {
    try {
      write_file(r, temp);
    } catch (const h5::Error& e) {
      throw std::runtime_error(fmt::format("{}: error: {}", path.string(), e.what()));
    }
  });
}

JointSample read_posterior_sample(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw std::runtime_error("no such file");
  if (!is_calibration_file(path))
    throw std::runtime_error("not the results of fourp calibrate (kind \"fourp calibration\")");
  JointSample s;
  try {
    const h5::File f = h5::File::open(path);
    if (!h5::has_attr(f, "parameters") || !h5::checked_exists(f, "/posterior"))
      throw std::runtime_error("damaged: no parameters or no /posterior");
    s.paths = h5::read_attr<std::vector<std::string>>(f, "parameters");
    const h5::Table t = h5::read_table(f, "/posterior");
    const size_t n = t.rows(), k = s.paths.size();
    const auto column = [&](const std::string& name) -> const std::vector<double>& {
      for (const h5::Field& x : t.fields)
        if (x.name == name) return x.numbers;
      throw std::runtime_error(fmt::format("damaged: /posterior has no column '{}'", name));
    };
    s.theta.assign(n * k, 0.0);
    for (size_t j = 0; j < k; ++j) {
      const auto& col = column(s.paths[j]);
      for (size_t i = 0; i < n; ++i) s.theta[i * k + j] = col.at(i);
    }
    s.weights = column("weight");
  } catch (const h5::Error& e) {
    throw std::runtime_error(fmt::format("damaged: {}", e.what()));
  }
  return s;
}

bool is_calibration_file(const fs::path& path) {
  return has_file_kind(path, kKind);
}

CalibrationResults read_calibration_results(const fs::path& path) {
  if (!is_calibration_file(path)) throw damaged_file(path, "not a calibration file of fourp");
  if (h5::check_format(path).superblock_version < 2)
    throw damaged_file(path, "written without checksummed HDF5 metadata");
  CalibrationResults r;
  try {
    const h5::File f = h5::File::open(path);
    const auto attr = [&](const char* name) {
      if (!h5::has_attr(f, name))
        throw damaged_file(path, fmt::format("missing attribute '{}'", name));
    };
    for (const char* a : {"format_version", "fourp_version", "calibration", "scenario", "arm",
                          "seed", "particles", "replicates", "parameters", "priors"})
      attr(a);
    const int64_t version = h5::read_attr<int64_t>(f, "format_version");
    if (version != kCalibrationFormatVersion)
      throw damaged_file(path, fmt::format("calibration format_version {} is not supported (this "
                                           "fourp reads {})",
                                           version, kCalibrationFormatVersion));
    r.fourp_version = h5::read_attr<std::string>(f, "fourp_version");
    r.calibration_text = h5::read_attr<std::string>(f, "calibration");
    r.scenario_yaml = h5::read_attr<std::string>(f, "scenario");
    r.arm = h5::read_attr<std::string>(f, "arm");
    r.seed = h5::read_attr<uint64_t>(f, "seed");
    r.particles = h5::read_attr<uint32_t>(f, "particles");
    r.replicates = h5::read_attr<uint32_t>(f, "replicates");
    r.parameters = h5::read_attr<std::vector<std::string>>(f, "parameters");
    r.priors = h5::read_attr<std::vector<std::string>>(f, "priors");
    if (r.priors.size() != r.parameters.size())
      throw damaged_file(path, "attributes 'parameters' and 'priors' differ in length");

    for (const char* p : {"/generations", "/targets"})
      if (!h5::checked_exists(f, p)) throw damaged_file(path, fmt::format("missing dataset {}", p));
    const h5::Table gens = h5::read_table(f, "/generations");
    const auto& gen = table_field(gens, path, "generations", "generation").numbers;
    for (size_t i = 0; i < gens.rows(); ++i) {
      SmcGeneration g;
      g.generation = static_cast<uint32_t>(gen[i]);
      g.temperature = table_field(gens, path, "generations", "temperature").numbers[i];
      g.ess = table_field(gens, path, "generations", "ess").numbers[i];
      g.acceptance_rate = table_field(gens, path, "generations", "acceptance_rate").numbers[i];
      g.move_rounds =
          static_cast<uint32_t>(table_field(gens, path, "generations", "move_rounds").numbers[i]);
      g.evaluations =
          static_cast<uint64_t>(table_field(gens, path, "generations", "evaluations").numbers[i]);
      g.failed_evaluations = static_cast<uint64_t>(
          table_field(gens, path, "generations", "failed_evaluations").numbers[i]);
      g.dimension = static_cast<uint32_t>(r.parameters.size());
      const std::string name = fmt::format("generation_{}", g.generation);
      if (!h5::checked_exists(f, "/" + name)) throw damaged_file(path, "missing dataset /" + name);
      const h5::Table t = h5::read_table(f, "/" + name);
      const size_t n = t.rows(), k = r.parameters.size();
      g.theta.assign(n * k, 0.0);
      for (size_t j = 0; j < k; ++j) {
        const auto& col = table_field(t, path, name, r.parameters[j]).numbers;
        for (size_t p = 0; p < n; ++p) g.theta[p * k + j] = col[p];
      }
      g.log_likelihood = table_field(t, path, name, "log_likelihood").numbers;
      for (double w : table_field(t, path, name, "weight").numbers)
        g.log_weight.push_back(w > 0 ? std::log(w) : -INFINITY);
      r.generations.push_back(std::move(g));
    }
    const h5::Table t = h5::read_table(f, "/targets");
    for (size_t i = 0; i < t.rows(); ++i)
      r.targets.push_back({table_field(t, path, "targets", "target").strings.at(i),
                           table_field(t, path, "targets", "kind").strings.at(i),
                           table_field(t, path, "targets", "observed").numbers.at(i),
                           table_field(t, path, "targets", "low").numbers.at(i),
                           table_field(t, path, "targets", "median").numbers.at(i),
                           table_field(t, path, "targets", "high").numbers.at(i)});
  } catch (const h5::Error& e) {
    throw damaged_file(path, e.what());
  }
  return r;
}

}  // namespace fourp
