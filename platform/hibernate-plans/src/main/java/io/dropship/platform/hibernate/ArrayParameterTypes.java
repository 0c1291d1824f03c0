package io.dropship.platform.hibernate;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.hibernate.metamodel.spi.MappingMetamodelImplementor;
import org.hibernate.type.BasicType;
import org.hibernate.type.spi.TypeConfiguration;

/**
 * The types of array parameters bound by value ({@code setParameter("ids", new String[] {...})}: the services'
 * {@code unnest} statements), registered once under their classes' names.
 *
 * <p>Hibernate ORM 7.2 looks a parameter's type up by the value's class; no type is registered for an array class,
 * so it resolves one from the class's descriptor, and {@code BasicTypeRegistry} makes a new type, tries to register
 * it with the bootstrap context (gone after boot: an exception with its stack trace, caught and dropped) and keeps
 * nothing: every binding again (settlement-service's ledger, twelve a charged order). Registered under the class's
 * name, the look-up finds the type at once. The type is the one Hibernate resolves for the class, so what is bound
 * does not change. This needs the session factory (the type configuration's indicators are not there while types are
 * contributed at boot), so the services call it at start (platform-outbox's {@code ArrayParameterTypesAtStart}); a
 * statement bound before that takes the old path, to the same effect.
 */
public final class ArrayParameterTypes {

    /** The array classes the services bind as parameters of native statements. */
    static final List<Class<?>> CLASSES =
            List.of(String[].class, Integer[].class, Long[].class, BigDecimal[].class, Boolean[].class, UUID[].class);

    private ArrayParameterTypes() {}

    /** Registers each class's type where none is registered yet; returns how many it registered. */
    public static int register(MappingMetamodelImplementor metamodel) {
        TypeConfiguration types = metamodel.getTypeConfiguration();
        int registered = 0;
        for (Class<?> arrayClass : CLASSES) {
            if (types.getBasicTypeForJavaType(arrayClass) == null
                    && metamodel.resolveParameterBindType(arrayClass) instanceof BasicType<?> type) {
                types.getBasicTypeRegistry().register(type, arrayClass.getTypeName());
                registered++;
            }
        }
        return registered;
    }
}
