#include "models/register.h"

#include "models/prevention/parameters.h"
#include "models/prevention/prevention_model.h"
#include "models/reference/reference_models.h"

namespace fourp::models {

void register_all(Catalog& catalog) {
  ModelKind prevention;
  prevention.name = "prevention";
  prevention.about = "community prevention of human trafficking (MODEL.md)";
  prevention.sections = {{"model", prevention_model_schema()},
                         {"trafficking", trafficking_schema()}};
  prevention.interventions = {
      {"outsider_campaign", "awareness campaign run by outside organisations (rule 3)",
       outsider_campaign_schema()},
      {"partnership", "programme co-led with survivors, families and community (rule 4)",
       partnership_schema()},
  };
  prevention.make = make_prevention_model;
  catalog.add(std::move(prevention));

  // Reference models for verification (docs/verification.md).
  catalog.add(reference::linear_threshold_kind());
  catalog.add(reference::independent_cascade_kind());
  catalog.add(reference::sir_kind());
  catalog.add(reference::degroot_kind());
  catalog.add(reference::deffuant_kind());
  catalog.add(reference::voter_kind());
}

}  // namespace fourp::models
