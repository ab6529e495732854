/* sources - the source address of each (identity, family), asked of the
 * kernel as the MTA's connect() would be: the route probe, the bind test and
 * the interface facts, turned into struct facts_source records. */
#ifndef MP_SOURCES_H
#define MP_SOURCES_H

#include "auditor/cli_options.h"
#include "auditor/facts.h"
#include "auditor/foundation/model.h"
#include "probes/iface.h"

/* sources_probe - append the source record of (identity index, family). */
void sources_probe(struct facts *facts, size_t index, const struct model_identity *id,
                   enum model_family family, const struct cli_options *opts,
                   const struct iface_list *ifaces);

#endif
