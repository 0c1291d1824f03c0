package io.dropship.platform.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.hibernate.query.results.internal.ResultSetMappingImpl;
import org.hibernate.query.results.internal.implicit.ImplicitResultClassBuilder;
import org.hibernate.reactive.sql.results.ReactiveResultSetMapping;
import org.junit.jupiter.api.Test;

/** The copies of ReactiveResultSetMapping and ImplicitResultClassBuilder: made from the Hibernate beside them, equal by content. */
class PlanKeyPatchTests {

    @Test
    void theCopyIsOfTheHibernateReactiveBesideIt() {
        // On another Hibernate Reactive: compare its ReactiveResultSetMapping with this copy; carry equals and hashCode
        // over, or drop the copy if it has them.
        String version = org.hibernate.reactive.logging.impl.Version.getVersionString();
        assertEquals(version, ReactiveResultSetMapping.PATCH.substring(0, ReactiveResultSetMapping.PATCH.indexOf(':')));
    }

    @Test
    void theBuilderCopyIsOfTheHibernateOrmBesideIt() {
        String patch = ImplicitResultClassBuilder.PATCH;
        assertEquals(org.hibernate.Version.getVersionString(), patch.substring(0, patch.indexOf(':')));
    }

    @Test
    void buildersOfOneResultClassAreEqual() {
        assertEquals(new ImplicitResultClassBuilder(Long.class), new ImplicitResultClassBuilder(Long.class));
        assertEquals(
                new ImplicitResultClassBuilder(Long.class).hashCode(),
                new ImplicitResultClassBuilder(Long.class).hashCode());
        assertNotEquals(new ImplicitResultClassBuilder(Long.class), new ImplicitResultClassBuilder(Integer.class));
        var a = new ResultSetMappingImpl(null, true);
        a.addResultBuilder(new ImplicitResultClassBuilder(Long.class));
        var b = new ResultSetMappingImpl(null, true);
        b.addResultBuilder(new ImplicitResultClassBuilder(Long.class));
        assertEquals(new ReactiveResultSetMapping(a), new ReactiveResultSetMapping(b));
    }

    @Test
    void wrappersOfEqualMappingsAreEqualAndOthersAreNot() {
        var a = new ReactiveResultSetMapping(new ResultSetMappingImpl(null, true));
        var b = new ReactiveResultSetMapping(new ResultSetMappingImpl(null, true));
        var named = new ReactiveResultSetMapping(new ResultSetMappingImpl("named", true));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a, a.cacheKeyInstance());
        assertNotEquals(a, named);
        assertNotEquals(a, new ResultSetMappingImpl(null, true));
    }
}
