#include "output/optimisation_results.h"

#include <fmt/format.h>

#include "output/h5.h"
#include "output/h5_kinds.h"
#include "output/results_file.h"
#include "output/timestamp.h"
#include "sim/diagnostics.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

constexpr const char* kKind = "fourp optimisation";

h5::Field numbers(std::string name, std::vector<double> v, h5::Type type = h5::Type::f64) {
  return {std::move(name), type, std::move(v), {}};
}
h5::Field strings(std::string name, std::vector<std::string> v) {
  return {std::move(name), h5::Type::string, {}, std::move(v)};
}

void write_file(const OptimisationResults& r, const fs::path& temp) {
  h5::File f = h5::File::create(temp);
  h5::write_attr(f, "kind", kKind);
  h5::write_attr(f, "format_version", kOptimisationFormatVersion);
  h5::write_attr(f, "fourp_version", r.fourp_version);
  h5::write_attr(f, "optimisation", r.optimisation_text);
  h5::write_attr(f, "scenario", r.scenario_yaml);
  h5::write_attr(f, "current", r.current);
  h5::write_attr(f, "objective", r.objective);
  h5::write_attr(f, "objective_sign", int32_t{r.objective_sign});
  h5::write_attr(f, "currency", r.currency);
  h5::write_attr(f, "seed", uint64_t{r.seed});
  h5::write_attr(f, "replicates", uint32_t{r.replicates});
  h5::write_attr(f, "confirm_replicates", uint32_t{r.confirm_replicates});
  h5::write_attr(f, "communities", uint32_t{r.communities});
  h5::write_attr(f, "budget", r.budget);
  h5::write_attr(f, "choices", r.choices);
  h5::write_attr(f, "choice_kinds", r.choice_kinds);
  h5::write_attr(f, "optimum", int64_t{r.optimum});
  h5::write_attr(f, "current_candidate", int64_t{r.current_candidate});
  h5::write_attr(f, "runs", uint64_t{r.runs});
  h5::write_attr(f, "created_utc", utc_now());
  h5::write_attr(f, "mode", r.mode);
  h5::write_attr(f, "constraints", r.constraints);
  if (r.least_cost()) {
    h5::write_attr(f, "target_outcome", r.target_outcome);
    h5::write_attr(f, "target_reduction", r.target_reduction);
    h5::write_attr(f, "target_level", r.target_level);
    h5::write_attr(f, "baseline_arm", r.baseline_arm);
    h5::write_attr(f, "baseline_objective", r.baseline_objective);
    h5::write_attr(f, "baseline_objective_low", r.baseline_objective_low);
    h5::write_attr(f, "baseline_objective_high", r.baseline_objective_high);
  }

  h5::Table c;
  std::vector<std::string> description, error;
  std::vector<std::vector<std::string>> values(r.choices.size());
  std::vector<double> ok, g, g_lo, g_hi, cost, c_lo, c_hi, within, meets;
  for (const OptimisationRow& row : r.candidates) {
    description.push_back(row.description);
    for (size_t j = 0; j < r.choices.size(); ++j) values[j].push_back(row.values.at(j));
    ok.push_back(row.ok);
    error.push_back(row.error);
    g.push_back(row.objective), g_lo.push_back(row.objective_low);
    g_hi.push_back(row.objective_high);
    cost.push_back(row.cost), c_lo.push_back(row.cost_low), c_hi.push_back(row.cost_high);
    within.push_back(row.within_choices), meets.push_back(row.meets_constraints);
  }
  c.fields.push_back(strings("description", description));
  for (size_t j = 0; j < r.choices.size(); ++j) {
    if (r.choice_kinds.at(j) == "number") {
      std::vector<double> v;
      for (const std::string& s : values[j]) v.push_back(std::stod(s));
      c.fields.push_back(numbers(r.choices[j], v));
    } else {
      c.fields.push_back(strings(r.choices[j], values[j]));
    }
  }
  c.fields.push_back(numbers("ok", ok, h5::Type::u8));
  c.fields.push_back(strings("error", error));
  c.fields.push_back(numbers("objective", g));
  c.fields.push_back(numbers("objective_low", g_lo));
  c.fields.push_back(numbers("objective_high", g_hi));
  c.fields.push_back(numbers("cost", cost));
  c.fields.push_back(numbers("cost_low", c_lo));
  c.fields.push_back(numbers("cost_high", c_hi));
  c.fields.push_back(numbers("within_choices", within, h5::Type::u8));
  c.fields.push_back(numbers("meets_constraints", meets, h5::Type::u8));
  h5::write_table(f, "candidates", c, h5::Compress::yes);

  std::vector<double> budget, row;
  for (const CurvePoint& p : r.curve) {
    budget.push_back(p.budget);
    row.push_back(static_cast<double>(p.candidate));
  }
  h5::write_table(f, "curve",
                  {{numbers("budget", budget), numbers("candidate", row, h5::Type::i64)}},
                  h5::Compress::no);

  const Confirmation& k = r.confirmation;
  std::vector<double> rep;
  for (size_t i = 0; i < k.current_objective.size(); ++i)
    rep.push_back(static_cast<double>(r.replicates + i));
  h5::Table confirmation{
      {numbers("replicate", rep, h5::Type::u32), numbers("current_objective", k.current_objective),
       numbers("optimum_objective", k.optimum_objective), numbers("current_cost", k.current_cost),
       numbers("optimum_cost", k.optimum_cost)}};
  if (r.least_cost())
    confirmation.fields.push_back(numbers("baseline_objective", k.baseline_objective));
  h5::write_table(f, "confirmation", confirmation, h5::Compress::no);
  const h5::Handle t = h5::open_dataset(f, "confirmation");
  h5::write_attr(t, "improvement", k.improvement);
  h5::write_attr(t, "improvement_low", k.improvement_low);
  h5::write_attr(t, "improvement_high", k.improvement_high);
  h5::write_attr(t, "extra_cost", k.extra_cost);
  h5::write_attr(t, "extra_cost_low", k.extra_cost_low);
  h5::write_attr(t, "extra_cost_high", k.extra_cost_high);
  h5::write_attr(t, "probability_better", k.probability_better);
  if (r.least_cost()) {
    h5::write_attr(t, "achieved_reduction", k.achieved_reduction);
    h5::write_attr(t, "target_margin", k.target_margin);
    h5::write_attr(t, "target_margin_low", k.target_margin_low);
    h5::write_attr(t, "target_margin_high", k.target_margin_high);
  }
  f.close();
}

}  // namespace

void write_optimisation_results(const OptimisationResults& r, const fs::path& path,
                                bool overwrite) {
  write_atomically(path, overwrite, [&](const fs::path& temp) {
    try {
      write_file(r, temp);
    } catch (const h5::Error& e) {
      throw std::runtime_error(fmt::format("{}: error: {}", path.string(), e.what()));
    }
  });
}

bool is_optimisation_file(const fs::path& path) {
  return has_file_kind(path, kKind);
}

OptimisationResults read_optimisation_results(const fs::path& path) {
  if (!is_optimisation_file(path)) throw damaged_file(path, "not an optimisation file of fourp");
  if (h5::check_format(path).superblock_version < 2)
    throw damaged_file(path, "written without checksummed HDF5 metadata");
  OptimisationResults r;
  try {
    const h5::File f = h5::File::open(path);
    for (const char* a :
         {"format_version", "fourp_version", "optimisation", "scenario", "current", "objective",
          "objective_sign", "currency", "seed", "replicates", "confirm_replicates", "communities",
          "budget", "choices", "choice_kinds", "optimum", "current_candidate", "runs"})
      if (!h5::has_attr(f, a)) throw damaged_file(path, fmt::format("missing attribute '{}'", a));
    const int64_t version = h5::read_attr<int64_t>(f, "format_version");
    if (version != 1 && version != kOptimisationFormatVersion)
      throw damaged_file(path, fmt::format("optimisation format_version {} is not supported (this "
                                           "fourp reads 1 to {})",
                                           version, kOptimisationFormatVersion));
    const auto attr_of = [&](const char* name) {
      if (!h5::has_attr(f, name))
        throw damaged_file(path, fmt::format("missing attribute '{}'", name));
      return h5::read_attr<double>(f, name);
    };
    if (version >= 2) {
      if (!h5::has_attr(f, "mode")) throw damaged_file(path, "missing attribute 'mode'");
      r.mode = h5::read_attr<std::string>(f, "mode");
      if (r.mode != "best_outcome" && r.mode != "least_cost")
        throw damaged_file(path, fmt::format("unknown mode '{}'", r.mode));
      if (!h5::has_attr(f, "constraints"))
        throw damaged_file(path, "missing attribute 'constraints'");
      r.constraints = h5::read_attr<std::vector<std::string>>(f, "constraints");
    }
    if (r.least_cost()) {
      for (const char* a : {"target_outcome", "baseline_arm"})
        if (!h5::has_attr(f, a)) throw damaged_file(path, fmt::format("missing attribute '{}'", a));
      r.target_outcome = h5::read_attr<std::string>(f, "target_outcome");
      r.baseline_arm = h5::read_attr<std::string>(f, "baseline_arm");
      r.target_reduction = attr_of("target_reduction");
      r.target_level = attr_of("target_level");
      r.baseline_objective = attr_of("baseline_objective");
      r.baseline_objective_low = attr_of("baseline_objective_low");
      r.baseline_objective_high = attr_of("baseline_objective_high");
    }
    r.fourp_version = h5::read_attr<std::string>(f, "fourp_version");
    r.optimisation_text = h5::read_attr<std::string>(f, "optimisation");
    r.scenario_yaml = h5::read_attr<std::string>(f, "scenario");
    r.current = h5::read_attr<std::string>(f, "current");
    r.objective = h5::read_attr<std::string>(f, "objective");
    r.objective_sign = static_cast<int32_t>(h5::read_attr<int64_t>(f, "objective_sign"));
    r.currency = h5::read_attr<std::string>(f, "currency");
    r.seed = h5::read_attr<uint64_t>(f, "seed");
    r.replicates = h5::read_attr<uint32_t>(f, "replicates");
    r.confirm_replicates = h5::read_attr<uint32_t>(f, "confirm_replicates");
    r.communities = h5::read_attr<uint32_t>(f, "communities");
    r.budget = h5::read_attr<double>(f, "budget");
    r.choices = h5::read_attr<std::vector<std::string>>(f, "choices");
    r.choice_kinds = h5::read_attr<std::vector<std::string>>(f, "choice_kinds");
    r.optimum = h5::read_attr<int64_t>(f, "optimum");
    r.current_candidate = h5::read_attr<int64_t>(f, "current_candidate");
    r.runs = h5::read_attr<uint64_t>(f, "runs");
    if (r.choice_kinds.size() != r.choices.size())
      throw damaged_file(path, "attributes 'choices' and 'choice_kinds' differ in length");
    for (const char* p : {"/candidates", "/curve", "/confirmation"})
      if (!h5::checked_exists(f, p)) throw damaged_file(path, fmt::format("missing dataset {}", p));

    const h5::Table c = h5::read_table(f, "/candidates");
    const auto col = [&](const char* name) -> const std::vector<double>& {
      return table_field(c, path, "candidates", name).numbers;
    };
    for (size_t i = 0; i < c.rows(); ++i) {
      OptimisationRow row;
      row.description = table_field(c, path, "candidates", "description").strings.at(i);
      for (size_t j = 0; j < r.choices.size(); ++j) {
        const h5::Field& v = table_field(c, path, "candidates", r.choices[j]);
        row.values.push_back(r.choice_kinds[j] == "number" ? fmt::format("{:g}", v.numbers.at(i))
                                                           : v.strings.at(i));
      }
      row.ok = col("ok").at(i) != 0;
      row.error = table_field(c, path, "candidates", "error").strings.at(i);
      row.objective = col("objective").at(i);
      row.objective_low = col("objective_low").at(i);
      row.objective_high = col("objective_high").at(i);
      row.cost = col("cost").at(i);
      row.cost_low = col("cost_low").at(i);
      row.cost_high = col("cost_high").at(i);
      if (version >= 2) {
        row.within_choices = col("within_choices").at(i) != 0;
        row.meets_constraints = col("meets_constraints").at(i) != 0;
      }
      r.candidates.push_back(std::move(row));
    }
    const auto in_range = [&](int64_t row) {
      return row >= -1 && row < static_cast<int64_t>(r.candidates.size());
    };
    if (!in_range(r.optimum) || !in_range(r.current_candidate))
      throw damaged_file(path, "attributes 'optimum' or 'current_candidate' name no candidate");

    const h5::Table curve = h5::read_table(f, "/curve");
    for (size_t i = 0; i < curve.rows(); ++i) {
      const int64_t row =
          static_cast<int64_t>(table_field(curve, path, "curve", "candidate").numbers.at(i));
      if (!in_range(row)) throw damaged_file(path, "/curve names no candidate");
      r.curve.push_back({table_field(curve, path, "curve", "budget").numbers.at(i), row});
    }

    const h5::Table k = h5::read_table(f, "/confirmation");
    Confirmation& m = r.confirmation;
    m.current_objective = table_field(k, path, "confirmation", "current_objective").numbers;
    m.optimum_objective = table_field(k, path, "confirmation", "optimum_objective").numbers;
    m.current_cost = table_field(k, path, "confirmation", "current_cost").numbers;
    m.optimum_cost = table_field(k, path, "confirmation", "optimum_cost").numbers;
    const h5::Handle t = h5::open_dataset(f, "/confirmation");
    const auto attr = [&](const char* name) {
      if (!h5::has_attr(t, name))
        throw damaged_file(path, fmt::format("missing attribute '{}' of /confirmation", name));
      return h5::read_attr<double>(t, name);
    };
    m.improvement = attr("improvement");
    m.improvement_low = attr("improvement_low");
    m.improvement_high = attr("improvement_high");
    m.extra_cost = attr("extra_cost");
    m.extra_cost_low = attr("extra_cost_low");
    m.extra_cost_high = attr("extra_cost_high");
    m.probability_better = attr("probability_better");
    if (r.least_cost()) {
      m.baseline_objective = table_field(k, path, "confirmation", "baseline_objective").numbers;
      m.achieved_reduction = attr("achieved_reduction");
      m.target_margin = attr("target_margin");
      m.target_margin_low = attr("target_margin_low");
      m.target_margin_high = attr("target_margin_high");
    }
  } catch (const h5::Error& e) {
    throw damaged_file(path, e.what());
  } catch (const std::out_of_range&) {
    throw damaged_file(path, "tables of differing lengths");
  }
  return r;
}

}  // namespace fourp
