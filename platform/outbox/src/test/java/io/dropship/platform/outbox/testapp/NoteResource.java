package io.dropship.platform.outbox.testapp;

import io.dropship.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** A tiny service for the outbox tests: writes a note and its event in one transaction. */
@Path("/")
public class NoteResource {

    public record NoteRequest(String text, String topic, String key, boolean failAfterPublish) {}

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;

    public NoteResource(Mutiny.SessionFactory sessions, Outbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    @POST
    @Path("notes")
    public Uni<Note> write(NoteRequest request) {
        return sessions.withTransaction(session -> {
            Note note = new Note();
            note.id = UUID.randomUUID();
            note.text = request.text();
            return session.persist(note)
                    .chain(() -> outbox.publish(
                            session,
                            request.topic(),
                            request.key(),
                            "NoteWritten",
                            Map.of("noteId", note.id.toString(), "text", note.text)))
                    .invoke(() -> {
                        if (request.failAfterPublish()) {
                            throw new IllegalStateException("rolled back on purpose");
                        }
                    })
                    .replaceWith(note);
        });
    }

    @GET
    @Path("notes/count")
    public Uni<Long> notes() {
        return sessions.withSession(s -> s.createSelectionQuery("select count(n) from Note n", Long.class)
                .getSingleResult());
    }

    @GET
    @Path("tally/{key}")
    public Uni<Integer> tally(@PathParam("key") String key) {
        return sessions.withSession(s -> s.createNativeQuery("select count from tally where key = :k", Integer.class)
                .setParameter("k", key)
                .getResultList()
                .map(rows -> rows.isEmpty() ? 0 : rows.get(0)));
    }
}
