#include "models/reference/common.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace fourp::models::reference {

// --- Seeds ----------------------------------------------------------------------------------

void add_seed_params(ParamSchema& schema) {
  schema.add({"seeds.count", kNotGiven, 0, 4294967295.0, "agents",
              "number of agents active (infected) at step 0, drawn uniformly; default 1", true, "",
              true});
  schema.add({"seeds.fraction", kNotGiven, 0, 1, "",
              "share of agents active (infected) at step 0, rounded to whole agents", false, "",
              true});
  schema.add({"seeds.agent", kNotGiven, 0, 4294967294.0, "agent id",
              "the one agent active (infected) at step 0", true, "", true});
}

SeedRule read_seeds(const ParamValues& model) {
  if (double x = model.get("seeds.fraction"); !std::isnan(x)) return {SeedRule::Kind::fraction, x};
  if (double a = model.get("seeds.agent"); !std::isnan(a)) return {SeedRule::Kind::agent, a};
  if (double k = model.get("seeds.count"); !std::isnan(k)) return {SeedRule::Kind::count, k};
  return {SeedRule::Kind::count, 1};
}

std::vector<uint32_t> choose_seeds(const SeedRule& rule, uint32_t agents, const Rng& rng) {
  if (rule.kind == SeedRule::Kind::agent) {
    if (rule.value >= agents)
      throw InputError(fmt::format("model.seeds.agent = {} is not an agent (ids are 0 to {})",
                                   rule.value, agents == 0 ? 0 : agents - 1));
    return {static_cast<uint32_t>(rule.value)};
  }
  const double wanted =
      rule.kind == SeedRule::Kind::fraction ? std::round(rule.value * agents) : rule.value;
  const auto k = static_cast<uint32_t>(std::min<double>(wanted, agents));
  // Key: 32 random bits, then the id, so that keys are distinct and the order total.
  std::vector<uint64_t> keys(agents);
  for (uint32_t i = 0; i < agents; ++i)
    keys[i] = static_cast<uint64_t>(rng.bits(kSetupStep, i, purpose::seeding, 0)[0]) << 32 | i;
  std::nth_element(keys.begin(), keys.begin() + k, keys.end());
  std::vector<uint32_t> seeds;
  seeds.reserve(k);
  for (uint32_t s = 0; s < k; ++s) seeds.push_back(static_cast<uint32_t>(keys[s]));
  std::sort(seeds.begin(), seeds.end());
  return seeds;
}

// --- Scenario checks ------------------------------------------------------------------------

void for_each_model_section(const Scenario& s,
                            const std::function<void(const ParamValues&)>& check) {
  if (s.sections.empty()) return;
  if (s.arms.empty()) return check(s.sections[0]);
  for (const Arm& arm : s.arms) check(resolve_arm(s, arm).sections[0]);
}

void check_one_of(const ParamValues& model, const std::vector<std::string>& names,
                  Diagnostics& diag) {
  std::vector<size_t> given;
  for (const auto& name : names) {
    auto i = model.schema().find(name);
    if (i && !std::isnan(model[*i])) given.push_back(*i);
  }
  if (given.size() < 2) return;
  const auto& specs = model.schema().specs();
  std::vector<std::string> quoted;
  for (const auto& n : names) quoted.push_back("'" + n + "'");
  diag.error(model.where(given[1]),
             fmt::format("model: give one of {}, not both '{}' and '{}'", fmt::join(quoted, ", "),
                         specs[given[0]].name, specs[given[1]].name));
}

void check_seeds(const Scenario& s, Diagnostics& diag) {
  for_each_model_section(s, [&](const ParamValues& model) {
    check_one_of(model, {"seeds.count", "seeds.fraction", "seeds.agent"}, diag);
    // A file network's size is known only once the file is read (choose_seeds checks then).
    const double agent = model.get("seeds.agent");
    if (s.network.kind != NetworkSpec::Kind::file && !std::isnan(agent) &&
        agent >= s.population.size) {
      auto i = model.schema().find("seeds.agent");
      diag.error(model.where(*i), fmt::format("model.seeds.agent = {} is not an agent (ids are 0 "
                                              "to {}: population.size is {})",
                                              agent, s.population.size - 1, s.population.size));
    }
  });
}

// --- Observables ----------------------------------------------------------------------------

StateCounts::StateCounts(const World& world, uint8_t states)
    : world_(world),
      states_(states),
      all_(states, 0),
      by_community_(static_cast<size_t>(world.layout.communities()) * states, 0) {
  const Layout& L = world.layout;
  all_[0] = L.agents;
  for (uint32_t c = 0; c < L.communities(); ++c)
    by_community_[static_cast<size_t>(c) * states] = L.community_size(c);
}

void StateCounts::move(uint32_t agent, uint8_t from, uint8_t to) {
  --all_[from], ++all_[to];
  const size_t c = world_.layout.community[agent];
  --by_community_[c * states_ + from], ++by_community_[c * states_ + to];
}

namespace {
double ratio(uint64_t part, uint64_t whole) {
  return whole ? static_cast<double>(part) / static_cast<double>(whole) : std::nan("");
}
}  // namespace

double StateCounts::share(uint8_t state) const {
  return ratio(all_[state], world_.layout.agents);
}

void StateCounts::observe(Observation& row, std::initializer_list<uint8_t> states) const {
  const Layout& L = world_.layout;
  const uint32_t C = L.communities();
  size_t m = 0;
  for (uint8_t state : states) {
    row.series[m] = ratio(all_[state], L.agents);
    if (!row.communities.empty())
      for (uint32_t c = 0; c < C; ++c)
        row.communities[m * C + c] = static_cast<float>(
            ratio(by_community_[static_cast<size_t>(c) * states_ + state], L.community_size(c)));
    ++m;
  }
}

void observe_opinions(const World& world, std::span<const double> x, Observation& row) {
  const Layout& L = world.layout;
  const uint32_t C = L.communities();
  // Groups: 0 all, 1 + c community c. Two passes: means, then squared deviations.
  const size_t groups = 1 + C;
  std::vector<double> sum(groups, 0), squares(groups, 0);
  std::vector<uint64_t> n(groups, 0);
  auto each_group = [&](uint32_t i, auto&& f) {
    f(0);
    f(1 + L.community[i]);
  };
  for (uint32_t i = 0; i < L.agents; ++i) each_group(i, [&](size_t g) { sum[g] += x[i], ++n[g]; });
  std::vector<double> mean(groups);
  for (size_t g = 0; g < groups; ++g) mean[g] = n[g] ? sum[g] / n[g] : std::nan("");
  for (uint32_t i = 0; i < L.agents; ++i)
    each_group(i, [&](size_t g) { squares[g] += (x[i] - mean[g]) * (x[i] - mean[g]); });
  auto sd = [&](size_t g) { return n[g] ? std::sqrt(squares[g] / n[g]) : std::nan(""); };
  row.series[0] = mean[0], row.series[1] = sd(0);
  if (row.communities.empty()) return;
  for (uint32_t c = 0; c < C; ++c) {
    row.communities[c] = static_cast<float>(mean[1 + c]);
    row.communities[C + c] = static_cast<float>(sd(1 + c));
  }
}

OpinionSummary summarise(std::span<const double> x) {
  OpinionSummary s;
  if (x.empty()) return {std::nan(""), std::nan(""), std::nan("")};
  double sum = 0, squares = 0;
  for (double v : x) sum += v;
  s.mean = sum / x.size();
  for (double v : x) squares += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(squares / x.size());
  auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  s.range = *hi - *lo;
  return s;
}

// --- Snapshots ------------------------------------------------------------------------------

Column column(std::string name, Column::Type type, uint32_t n,
              const std::function<double(uint32_t)>& value) {
  Column col{std::move(name), type, std::vector<double>(n)};
  for (uint32_t i = 0; i < n; ++i) col.values[i] = value(i);
  return col;
}

std::vector<Column> agent_columns(const World& w) {
  using T = Column::Type;
  const uint32_t n = w.layout.agents;
  return {column("agent", T::u32, n, [](uint32_t i) { return i; }),
          column("community", T::u32, n, [&](uint32_t i) { return w.layout.community[i]; }),
          column("degree", T::u32, n, [&](uint32_t i) { return w.network.degree(i); })};
}

ActivationSimulation::ActivationSimulation(const World& w)
    : w_(w), active_(w.layout.agents, kInactive), activated_(w.layout.agents, -1), counts_(w, 2) {}

std::vector<double> ActivationSimulation::totals() const {
  return {counts_.share(kActive), static_cast<double>(counts_.count(kActive)),
          static_cast<double>(last_activation_)};
}

std::vector<Column> ActivationSimulation::snapshot() const {
  using T = Column::Type;
  const uint32_t n = w_.layout.agents;
  std::vector<Column> cols = agent_columns(w_);
  cols.push_back(column("active", T::u8, n, [&](uint32_t i) { return active_[i]; }));
  cols.push_back(column("activated_step", T::f64, n,
                        [&](uint32_t i) { return static_cast<double>(activated_[i]); }));
  return cols;
}

bool ActivationSimulation::activate(uint32_t i, int64_t step) {
  if (active_[i]) return false;
  active_[i] = kActive;
  activated_[i] = step;
  last_activation_ = step;
  counts_.move(i, kInactive, kActive);
  return true;
}

// --- Declarations ---------------------------------------------------------------------------

TraitSpec opinion_trait() {
  return {"opinion", {Distribution::Kind::uniform, 0, 1, {}}, "opinion"};
}

OutputDeclarations opinion_outputs() {
  OutputDeclarations d;
  d.series = {
      {"opinion_mean", "Mean opinion", "mean opinion (0\u20131 scale)", Scale::number, false, true},
      {"opinion_sd", "Spread of opinions", "standard deviation of opinions", Scale::number, false,
       true}};
  d.outcomes = {{"opinion_mean_final", "mean opinion at the end", Scale::number},
                {"opinion_sd_final", "spread of opinions at the end", Scale::number,
                 Better::neither, true, "opinion sd (final)"},
                {"opinion_range_final", "range of opinions at the end (max \u2212 min)",
                 Scale::number, Better::neither, true, "opinion range (final)"}};
  d.outcomes[0].summary = true, d.outcomes[0].column = "opinion mean (final)";
  return d;
}

OutputDeclarations activation_outputs() {
  OutputDeclarations d;
  d.series = {{"active", "Active share", "active (% of people)", Scale::share, false, true, true}};
  d.outcomes = {{"active_final", "share active at the end", Scale::share, Better::neither, true,
                 "active (final)"},
                {"active_count", "people active at the end", Scale::count, Better::neither, true,
                 "active people"},
                {"last_activation", "step of the last activation", Scale::number, Better::neither,
                 true, "last activation (step)"}};
  return d;
}

}  // namespace fourp::models::reference
