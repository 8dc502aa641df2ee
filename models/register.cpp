#include "models/register.h"

#include "models/prevention/parameters.h"
#include "models/prevention/prevention_model.h"

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
}

}  // namespace fourp::models
