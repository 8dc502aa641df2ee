#include "sim/calibration_file.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/plan_reader.h"
#include "sim/scenario_parse.h"
#include "sim/targets_csv.h"
#include "sim/yaml_document.h"
#include "sim/yaml_input.h"

namespace fourp {

namespace fs = std::filesystem;
using namespace yaml_input;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const char* const kTopKeys[] = {"name",       "description", "scenario", "arm",
                                "parameters", "observation", "targets",  "method"};
const char* const kObservationPrefix = "observation.";

class Reader : public YamlReader {
 public:
  Reader(std::string label, const Catalog& catalog, Diagnostics& diag)
      : YamlReader(std::move(label), diag, Style{"the calibration file", false}),
        catalog_(catalog) {}

  void read(const YAML::Node& root, CalibrationPlan& plan);

 private:
  bool read_scenario(const Value& v, CalibrationPlan& plan);
  void read_arm(const std::optional<Value>& v, CalibrationPlan& plan);
  void read_observation(const std::optional<Value>& v);
  void read_parameters(const std::optional<Value>& v, CalibrationPlan& plan);
  void read_targets(const std::optional<Value>& v, CalibrationPlan& plan);
  void read_targets_file(const Value& v, CalibrationPlan& plan);
  std::optional<CalibrationTarget> read_target(const Value& v, const CalibrationPlan& plan);
  bool read_group(const Value& v, const CalibrationPlan& plan, CalibrationTarget& t);
  void read_method(const std::optional<Value>& v, CalibrationPlan& plan);

  const Catalog& catalog_;
  std::vector<UncertainParameter> observation_;  // the file's observation priors
  std::vector<std::string> observation_given_;   // every key of observation:, read or not
};

void Reader::read(const YAML::Node& root, CalibrationPlan& plan) {
  const Value top{root, "", at(root.Mark()), at(root.Mark())};
  const std::vector<Entry> all = entries(top);
  const std::vector<std::string> keys(std::begin(kTopKeys), std::end(kTopKeys));
  for (const Entry& e : all)
    if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) unknown_key(e, "", keys);
  auto get = [&](const char* key) -> std::optional<Value> {
    if (const Entry* e = find_entry(all, key)) return e->value;
    return std::nullopt;
  };
  const std::optional<Value> scenario = get("scenario");
  if (!scenario) {
    missing("scenario",
            "the scenario whose parameters are fitted (relative to this file), e.g. "
            "scenario: ../rural-district.yaml");
    return;
  }
  if (!read_scenario(*scenario, plan)) return;  // nothing else can be checked without it
  read_arm(get("arm"), plan);
  read_observation(get("observation"));
  read_parameters(get("parameters"), plan);
  read_targets(get("targets"), plan);
  read_method(get("method"), plan);
}

bool Reader::read_scenario(const Value& v, CalibrationPlan& plan) {
  auto name = text(v);
  if (!name) return false;
  std::optional<Scenario> scenario =
      parse_named_scenario(v, *name, file_, catalog_, diag_, "calibration");
  if (!scenario) return false;  // nothing else can be checked without it
  plan.scenario = std::move(*scenario);
  // A calibration compares the model's series with the data: it needs the community series
  // (for groups) and no per-agent snapshots.
  plan.scenario.outputs.snapshots.clear();
  plan.scenario.outputs.by_community = true;
  return true;
}

void Reader::read_arm(const std::optional<Value>& v, CalibrationPlan& plan) {
  plan.arm = plan.scenario.baseline_arm;
  if (!v) return;
  auto name = text(*v);
  if (!name) return;
  std::vector<std::string> arms;
  for (const Arm& a : plan.scenario.arms) arms.push_back(a.name);
  if (std::find(arms.begin(), arms.end(), *name) == arms.end()) {
    diag_.error(v->loc, fmt::format("arm: unknown arm '{}' of the scenario{}", *name,
                                    hint_and_list(*name, arms, "its arms")));
    return;
  }
  plan.arm = *name;
}

const std::vector<ParamSpec>& observation_specs() {
  static const std::vector<ParamSpec> specs = [] {
    ParamSpec detection = real_number("detection", 0, 1);
    detection.unit = "probability";
    detection.meaning = "share of the cases of the model that are recorded";
    return std::vector<ParamSpec>{detection};
  }();
  return specs;
}

void Reader::read_observation(const std::optional<Value>& v) {
  if (!v) return;
  std::vector<std::string> names;
  for (const ParamSpec& s : observation_specs()) names.push_back(s.name);
  for (const Entry& e : entries(*v)) {
    observation_given_.push_back(kObservationPrefix + e.key);
    auto spec = std::find_if(observation_specs().begin(), observation_specs().end(),
                             [&](const ParamSpec& s) { return s.name == e.key; });
    if (spec == observation_specs().end()) {
      diag_.error(e.value.key_loc,
                  fmt::format("unknown observation parameter '{}'{}", e.key,
                              hint_and_list(e.key, names, "known observation parameters")));
      continue;
    }
    const SettablePath p{e.key, *spec, false};
    if (auto d = read_distribution(e.value, p, file_, diag_))
      observation_.push_back({kObservationPrefix + e.key, std::move(*d), e.value.key_loc});
  }
}

void Reader::read_parameters(const std::optional<Value>& v, CalibrationPlan& plan) {
  if (!v) {
    missing("parameters", "the parameters to fit, e.g. parameters: [model.denial]");
    return;
  }
  auto list = items(*v, "a list of parameter paths");
  if (!list) return;
  if (list->empty()) diag_.error(v->loc, "parameters: name at least one parameter to fit");
  std::vector<std::string> with_prior;
  for (const UncertainParameter& u : plan.scenario.uncertainty) with_prior.push_back(u.path);
  for (const UncertainParameter& u : observation_) with_prior.push_back(u.path);
  for (const Value& item : *list) {
    auto path = text(item);
    if (!path) continue;
    if (std::any_of(plan.parameters.begin(), plan.parameters.end(),
                    [&](const UncertainParameter& u) { return u.path == *path; })) {
      diag_.error(item.loc, fmt::format("parameters: '{}' is named twice", *path));
      continue;
    }
    const auto in = [&](const std::vector<UncertainParameter>& from) {
      return std::find_if(from.begin(), from.end(),
                          [&](const UncertainParameter& u) { return u.path == *path; });
    };
    if (auto u = in(plan.scenario.uncertainty); u != plan.scenario.uncertainty.end()) {
      plan.parameters.push_back({*path, u->dist, item.loc});
      plan.scenario.uncertainty.erase(u);  // fitted, no longer drawn from its prior
    } else if (auto o = in(observation_); o != observation_.end()) {
      plan.parameters.push_back({*path, o->dist, item.loc});
    } else if (std::find(observation_given_.begin(), observation_given_.end(), *path) !=
               observation_given_.end()) {
      continue;  // its prior has an error of its own
    } else if (path->rfind(kObservationPrefix, 0) == 0) {
      diag_.error(item.loc,
                  fmt::format("parameters: '{}' has no prior: give it one in this "
                              "file's observation: section, e.g. observation: "
                              "{{{}: {{beta: {{mean: 0.25, sd: 0.08}}}}}}",
                              *path, path->substr(std::string(kObservationPrefix).size())));
    } else {
      diag_.error(item.loc,
                  fmt::format("parameters: '{}' has no prior: give it a distribution in the "
                              "scenario's uncertainty: section{}",
                              *path, hint(*path, with_prior)));
    }
  }
}

void Reader::read_targets(const std::optional<Value>& v, CalibrationPlan& plan) {
  if (!v) {
    missing("targets",
            "the data, e.g. targets: [{metric: awareness, group: all, step: 0, "
            "respondents: 400, yes: 96}]");
    return;
  }
  if (v->node.IsMap()) {
    read_targets_file(*v, plan);
    return;
  }
  auto list = items(*v, "a list of targets");
  if (!list) return;
  if (list->empty()) diag_.error(v->loc, "targets: give at least one target");
  for (const Value& item : *list)
    if (auto t = read_target(item, plan)) plan.targets.push_back(std::move(*t));
}

// `targets: {file: targets.csv}` (sim/targets_csv.h): the rows read as inline targets by a
// reader of their YAML form, its messages moved back to the CSV's lines and columns.
void Reader::read_targets_file(const Value& v, CalibrationPlan& plan) {
  std::optional<std::string> name;
  for (const Entry& e : entries(v)) {
    if (e.key == "file")
      name = text(e.value);
    else
      unknown_key(e, v.path, {"file"});
  }
  if (!name) {
    if (!find_entry(entries(v), "file"))
      diag_.error(v.loc, "targets: expected a list of targets, or {file: targets.csv}");
    return;
  }
  fs::path path(*name);
  if (path.is_relative()) path = (fs::path(file_).parent_path() / path).lexically_normal();
  const std::string csv = path.string();
  Diagnostics read_diag;
  const std::optional<std::string> content = read_input_file(path, read_diag);
  if (!content) {
    for (const Diagnostic& d : read_diag.all())
      diag_.error(find_entry(entries(v), "file")->value.loc,
                  fmt::format("targets.file: '{}': {}", *name, d.message));
    return;
  }
  const std::optional<TargetsAsYaml> rows = targets_as_yaml(*content, csv, diag_);
  if (!rows) return;
  Diagnostics local;
  Reader sub(csv, catalog_, local);
  sub.observation_ = observation_;
  YAML::Node list;
  try {
    list = YAML::Load(rows->yaml);
  } catch (const YAML::Exception& e) {  // not expected: every cell that is not plain is quoted
    diag_.error(SourceLoc{csv}, fmt::format("cannot read the rows: {}", e.what()));
    return;
  }
  const Value top{list, "targets", SourceLoc{csv}, SourceLoc{csv}};
  if (auto items = sub.items(top, "a list of targets"))
    for (const Value& item : *items)
      if (auto t = sub.read_target(item, plan)) plan.targets.push_back(std::move(*t));
  for (const Diagnostic& d : local.all()) {
    const SourceLoc at = rows->csv_loc(d.loc.line, d.loc.column, csv);
    if (d.severity == Diagnostic::Severity::error)
      diag_.error(at, d.message);
    else
      diag_.warning(at, d.message);
  }
}

std::optional<CalibrationTarget> Reader::read_target(const Value& v, const CalibrationPlan& plan) {
  if (!v.node.IsMap()) {
    diag_.error(v.loc, fmt::format("{}: expected a target such as {{metric: awareness, group: "
                                   "all, step: 0, respondents: 400, yes: 96}}, got {}",
                                   v.path, describe(v.node)));
    return std::nullopt;
  }
  const std::vector<Entry> all = entries(v);
  auto get = [&](const char* key) -> const Value* {
    const Entry* e = find_entry(all, key);
    return e ? &e->value : nullptr;
  };
  const OutputDeclarations& out = plan.scenario.kind->outputs;
  CalibrationTarget t;
  t.loc = v.loc;
  const Value* metric = get("metric");
  if (!metric) {
    diag_.error(v.loc, fmt::format("{}: missing key 'metric'", v.path));
    return std::nullopt;
  }
  auto name = text(*metric);
  if (!name) return std::nullopt;
  t.metric = *name;
  std::vector<std::string> shares, flows;
  for (const SeriesSpec& s : out.series) {
    if (s.unit_interval) shares.push_back(s.name);
    if (s.flow) flows.push_back(s.name);
  }
  const bool survey = std::find(shares.begin(), shares.end(), t.metric) != shares.end();
  t.kind = survey ? CalibrationTarget::Kind::survey : CalibrationTarget::Kind::count;
  if (t.metric == "recorded_cases") {
    const SeriesSpec* h = out.find_series(out.headline);
    if (!h || !h->flow) {
      diag_.error(metric->loc, fmt::format("{}: recorded_cases needs a model whose headline is a "
                                           "flow series; model kind '{}' has none",
                                           metric->path, plan.scenario.model_kind));
      return std::nullopt;
    }
    t.metric = h->name;
    t.detection = "detection";
  } else if (!survey && std::find(flows.begin(), flows.end(), t.metric) == flows.end()) {
    std::vector<std::string> known = shares;
    known.insert(known.end(), flows.begin(), flows.end());
    known.push_back("recorded_cases");
    diag_.error(metric->loc,
                fmt::format("{}: unknown metric '{}'{}", metric->path, t.metric,
                            hint_and_list(t.metric, known, "survey shares and counts")));
    return std::nullopt;
  }

  const std::vector<std::string> survey_keys = {"metric",      "group", "step",
                                                "respondents", "yes",   "arm"};
  const std::vector<std::string> count_keys = {"metric",     "group",     "steps", "count",
                                               "dispersion", "detection", "arm"};
  const auto& keys = survey ? survey_keys : count_keys;
  for (const Entry& e : all)
    if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) unknown_key(e, v.path, keys);

  bool ok = true;
  if (const Value* a = get("arm")) {
    auto name = text(*a);
    std::vector<std::string> arms;
    for (const Arm& x : plan.scenario.arms) arms.push_back(x.name);
    if (!name) {
      ok = false;
    } else if (std::find(arms.begin(), arms.end(), *name) == arms.end()) {
      diag_.error(a->loc, fmt::format("{}: unknown arm '{}' of the scenario{}", a->path, *name,
                                      hint_and_list(*name, arms, "its arms")));
      ok = false;
    } else if (*name != plan.arm) {
      t.arm = *name;
    }
  }
  if (const Value* g = get("group")) {
    ok = read_group(*g, plan, t) && ok;
  } else {
    diag_.error(v.loc,
                fmt::format("{}: missing key 'group' (all, or {{communities: [0, 1]}})", v.path));
    ok = false;
  }
  const double steps = static_cast<double>(plan.scenario.steps);
  const auto need = [&](const char* key) -> const Value* {
    const Value* x = get(key);
    if (!x) {
      diag_.error(v.loc, fmt::format("{}: missing key '{}'", v.path, key));
      ok = false;
    }
    return x;
  };
  // The number at `x` within `spec`, or nothing (and ok = false) when missing or wrong.
  const auto read = [&](const Value* x, const ParamSpec& spec) -> std::optional<double> {
    if (!x) return std::nullopt;
    auto n = number(*x, spec);
    if (!n) ok = false;
    return n;
  };
  if (survey) {
    if (auto x = read(need("step"), whole_number("step", 0, steps)))
      t.step = static_cast<int64_t>(*x);
    const Value* y = need("yes");
    const auto r = read(need("respondents"), whole_number("respondents", 1, 1e12));
    const auto n = read(y, whole_number("yes", 0, 1e12));
    if (r) t.respondents = static_cast<uint64_t>(*r);
    if (n) t.yes = static_cast<uint64_t>(*n);
    if (r && n && t.yes > t.respondents) {
      diag_.error(y->loc, fmt::format("{}: yes ({}) exceeds respondents ({})", y->path, t.yes,
                                      t.respondents));
      ok = false;
    }
  } else {
    if (const Value* s = need("steps")) {
      auto list = items(*s, "[first, last]");
      if (!list) {
        ok = false;
      } else if (list->size() != 2) {
        diag_.error(s->loc, fmt::format("{}: expected [first, last], got {} values", s->path,
                                        list->size()));
        ok = false;
      } else {
        const auto a = read(&(*list)[0], whole_number("steps", 0, steps));
        const auto b = read(&(*list)[1], whole_number("steps", 0, steps));
        if (a) t.first = static_cast<int64_t>(*a);
        if (b) t.last = static_cast<int64_t>(*b);
        if (a && b && *b <= *a) {
          diag_.error((*list)[1].loc, fmt::format("{}: the window (first, last] must end after it "
                                                  "starts: {} is not after {}",
                                                  s->path, *b, *a));
          ok = false;
        }
      }
    }
    if (auto c = read(need("count"), real_number("count", 0, kInf))) t.count = *c;
    if (const Value* k = get("dispersion")) {
      const auto x = read(k, real_number("dispersion", 0, kInf));
      if (x && *x > 0) {
        t.dispersion = *x;
      } else if (x) {
        diag_.error(k->loc,
                    fmt::format("{}: must be above 0 (leave it out for Poisson counts)", k->path));
        ok = false;
      }
    }
    if (const Value* d = get("detection")) {
      if (auto n = text(*d)) t.detection = *n;
    }
    if (!t.detection.empty() &&
        std::none_of(observation_.begin(), observation_.end(), [&](const UncertainParameter& u) {
          return u.path == kObservationPrefix + t.detection;
        })) {
      diag_.error(get("detection") ? get("detection")->loc : metric->loc,
                  fmt::format("{}: the count is thinned by observation.{}, which has no prior: "
                              "give it one in observation:",
                              v.path, t.detection));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return t;
}

bool Reader::read_group(const Value& g, const CalibrationPlan& plan, CalibrationTarget& t) {
  if (g.node.IsScalar() && g.node.Scalar() == "all") return true;
  if (!g.node.IsMap()) {
    diag_.error(g.loc, fmt::format("{}: expected all or {{communities: [ids]}}, got {}", g.path,
                                   describe(g.node)));
    return false;
  }
  bool ok = true;
  for (const Entry& e : entries(g)) {
    if (e.key != "communities") {
      unknown_key(e, g.path, {"communities"});
      ok = false;
      continue;
    }
    auto list = items(e.value, "a list of community ids");
    if (!list) return false;
    if (list->empty()) {
      diag_.error(e.value.loc, fmt::format("{}: name at least one community", e.value.path));
      return false;
    }
    const double last = static_cast<double>(plan.scenario.population.communities) - 1;
    for (const Value& item : *list) {
      ParamSpec spec = whole_number("community", 0, last);
      if (auto x = number(item, spec))
        t.communities.push_back(static_cast<uint32_t>(*x));
      else
        ok = false;
    }
  }
  return ok;
}

void Reader::read_method(const std::optional<Value>& v, CalibrationPlan& plan) {
  if (!v) return;
  for (const Entry& e : entries(*v)) {
    if (e.key == "kind") {
      auto k = text(e.value);
      if (k && *k == "abc_smc")
        diag_.warning(e.value.loc,
                      "method.kind: abc_smc is read as smc: fourp calibrates with a sequential "
                      "Monte Carlo sampler on the likelihood of the targets (their observation "
                      "model is explicit, so ABC's distances and tolerances are not needed)");
      else if (k && *k != "smc")
        diag_.error(e.value.loc,
                    fmt::format("method.kind: '{}' is not supported: fourp calibrates with smc "
                                "(a sequential Monte Carlo sampler on the likelihood of the "
                                "targets; abc_smc is read as smc)",
                                *k));
    } else if (e.key == "generations") {
      // The sampler chooses its generations (temperatures) adaptively: this caps them.
      if (auto x = number(e.value, whole_number("generations", 1, 1e6)))
        plan.method.max_generations = static_cast<uint32_t>(*x);
    } else if (e.key == "particles") {
      if (auto x = number(e.value, whole_number("particles", 10, 1e7)))
        plan.method.particles = static_cast<uint32_t>(*x);
    } else if (e.key == "seed") {
      if (auto x = number(e.value, whole_number("seed", 0, 4294967295.0)))
        plan.method.seed = static_cast<uint64_t>(*x);
    } else if (e.key == "replicates") {
      if (auto x = number(e.value, whole_number("replicates", 1, 1000)))
        plan.method.replicates = static_cast<uint32_t>(*x);
    } else {
      unknown_key(e, "method", {"kind", "particles", "seed", "replicates", "generations"});
    }
  }
}

}  // namespace

const std::vector<ParamSpec>& observation_parameter_specs() {
  return observation_specs();
}

namespace {
constexpr std::string_view kWhat = "a map of calibration keys (scenario, parameters, targets, ...)";
}  // namespace

CalibrationPlan parse_calibration_text(const std::string& yaml, const fs::path& name,
                                       const Catalog& catalog, Diagnostics& diag) {
  return read_plan_text<CalibrationPlan, Reader>(yaml, name, catalog, kWhat, diag);
}

CalibrationPlan parse_calibration_file(const fs::path& file, const Catalog& catalog,
                                       Diagnostics& diag) {
  return read_plan_file<CalibrationPlan, Reader>(file, catalog, kWhat, diag);
}

}  // namespace fourp
