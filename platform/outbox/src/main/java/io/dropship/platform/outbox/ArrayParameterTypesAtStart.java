package io.dropship.platform.outbox;

import io.dropship.platform.hibernate.ArrayParameterTypes;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hibernate.metamodel.spi.MappingMetamodelImplementor;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/** Registers the array parameters' types once the session factory is built (see {@link ArrayParameterTypes}). */
@ApplicationScoped
class ArrayParameterTypesAtStart {

    private static final Logger LOG = Logger.getLogger(ArrayParameterTypesAtStart.class);

    void register(@Observes StartupEvent event, Mutiny.SessionFactory sessions) {
        if (sessions.getMetamodel() instanceof MappingMetamodelImplementor metamodel) {
            LOG.debugf("%d array parameter types registered", ArrayParameterTypes.register(metamodel));
        } else {
            LOG.warnf("array parameter types not registered: the metamodel is a %s", sessions.getMetamodel());
        }
    }
}
