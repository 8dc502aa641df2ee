#include "sim/catalog.h"

#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/rng.h"

namespace fourp {

namespace {

// A kind whose declarations contradict themselves is a programming error in models/: say which.
void check_declarations(const ModelKind& k) {
  const auto fail = [&](const std::string& what) {
    throw std::logic_error(fmt::format("model kind '{}': {}", k.name, what));
  };
  const auto unique = [&](const std::vector<std::string>& names, const char* what) {
    std::set<std::string> seen;
    for (const std::string& n : names)
      if (n.empty() || !seen.insert(n).second) fail(fmt::format("{} '{}' declared twice", what, n));
  };
  const OutputDeclarations& out = k.outputs;
  unique(out.series_names(), "series");
  unique(out.outcome_names(), "outcome");
  std::vector<std::string> roles, traits;
  for (const RoleSpec& r : k.roles) roles.push_back(r.name);
  for (const TraitSpec& t : k.traits) traits.push_back(t.name);
  unique(roles, "role");
  unique(traits, "trait");
  if (roles.size() > 32) fail("more than 32 roles");
  if (!out.headline.empty() && !out.find_outcome(out.headline))
    fail(fmt::format("headline '{}' is not an outcome", out.headline));
  if (!out.cost_outcome.empty() && !out.find_outcome(out.cost_outcome))
    fail(fmt::format("cost total '{}' is not an outcome", out.cost_outcome));
  if (!out.headline.empty() && out.improvement.name.empty())
    fail("a headline needs the name of its improvement");
  if (!out.subgroup.empty() && std::find(roles.begin(), roles.end(), out.subgroup) == roles.end())
    fail(fmt::format("subgroup '{}' is not a role", out.subgroup));
  if (k.purposes.first > k.purposes.last || k.purposes.last > 255)
    fail("purposes must be a range first <= last <= 255");
  for (Purpose p : kEnginePurposes)
    if (k.purposes.first > 0 && k.purposes.contains(static_cast<uint32_t>(p)))
      fail(fmt::format("purpose {} belongs to the engine", static_cast<uint32_t>(p)));
}

}  // namespace

const ParamSection* ModelKind::section(std::string_view n) const {
  for (const auto& s : sections)
    if (s.name == n) return &s;
  return nullptr;
}

const InterventionKind* ModelKind::intervention(std::string_view n) const {
  for (const auto& k : interventions)
    if (k.name == n) return &k;
  return nullptr;
}

std::optional<size_t> ModelKind::role_index(std::string_view n) const {
  for (size_t i = 0; i < roles.size(); ++i)
    if (roles[i].name == n) return i;
  return std::nullopt;
}

void Catalog::add(ModelKind kind) {
  check_declarations(kind);
  if (find(kind.name))
    throw std::logic_error(fmt::format("model kind '{}' added twice", kind.name));
  kind.all_params = ParamSchema{};
  for (const auto& s : kind.sections) kind.all_params.append(s.schema);
  kinds_.push_back(std::move(kind));
}

const ModelKind* Catalog::find(std::string_view n) const {
  for (const auto& k : kinds_)
    if (k.name == n) return &k;
  return nullptr;
}

const std::string& Catalog::default_kind() const {
  static const std::string none;
  return kinds_.empty() ? none : kinds_.front().name;
}

std::vector<std::string> Catalog::names() const {
  std::vector<std::string> out;
  for (const auto& k : kinds_) out.push_back(k.name);
  return out;
}

}  // namespace fourp
