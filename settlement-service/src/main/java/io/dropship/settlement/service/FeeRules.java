package io.dropship.settlement.service;

import io.dropship.platform.web.ProblemException;
import io.dropship.settlement.domain.FeeSchedule;
import io.dropship.settlement.domain.Plan;
import io.dropship.settlement.repository.FeeRule;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class FeeRules {

    private final Mutiny.SessionFactory sessions;

    public FeeRules(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Uni<List<FeeRule>> all() {
        return sessions.withSession(s -> s.createSelectionQuery("from FeeRule order by plan", FeeRule.class).getResultList());
    }

    public Uni<FeeRule> get(Plan plan) {
        return sessions.withSession(s -> s.find(FeeRule.class, plan)).map(rule -> {
            if (rule == null) {
                throw ProblemException.notFound("fee rule for plan " + plan);
            }
            return rule;
        });
    }

    public Uni<FeeRule> change(Plan plan, BigDecimal fixedFee, BigDecimal percent, Integer monthlyOrderLimit, String by) {
        new FeeSchedule(fixedFee, percent);
        return sessions.withTransaction(s -> s.find(FeeRule.class, plan).map(rule -> {
            if (rule == null) {
                throw ProblemException.notFound("fee rule for plan " + plan);
            }
            rule.fixedFee = fixedFee;
            rule.percent = percent;
            rule.monthlyOrderLimit = monthlyOrderLimit;
            rule.updatedAt = Instant.now();
            rule.updatedBy = by;
            return rule;
        }));
    }
}
