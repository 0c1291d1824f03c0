package io.dropship.gateway.accounts;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A real SMTP server (GreenMail) the gateway sends its account mails to, once per test JVM, read back by the tests. */
public class MailTestResource implements QuarkusTestResourceLifecycleManager {

    private static GreenMail mail;

    public static synchronized GreenMail mail() {
        if (mail == null) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
        }
        return mail;
    }

    /** The mails received for this address, oldest first. */
    public static List<MimeMessage> to(String address) {
        return Arrays.stream(mail().getReceivedMessages())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients())
                                .anyMatch(r -> r.toString().equalsIgnoreCase(address));
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                })
                .toList();
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.mailer.mock",
                "false",
                "quarkus.mailer.host",
                "127.0.0.1",
                "quarkus.mailer.port",
                String.valueOf(mail().getSmtp().getPort()));
    }

    @Override
    public void stop() {
        // Lives as long as the test JVM, like the broker and the database.
    }
}
