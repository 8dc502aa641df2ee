#include "sim/catalog.h"

namespace fourp {

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

void Catalog::add(ModelKind kind) {
  kind.all_params = ParamSchema{};
  for (const auto& s : kind.sections) kind.all_params.append(s.schema);
  kinds_.push_back(std::move(kind));
}

const ModelKind* Catalog::find(std::string_view n) const {
  for (const auto& k : kinds_)
    if (k.name == n) return &k;
  return nullptr;
}

std::vector<std::string> Catalog::names() const {
  std::vector<std::string> out;
  for (const auto& k : kinds_) out.push_back(k.name);
  return out;
}

}  // namespace fourp
