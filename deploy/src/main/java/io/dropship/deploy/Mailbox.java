package io.dropship.deploy;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the fleet's mail server over IMAP, as a person reads their inbox (GreenMail: user and password are the address). */
final class Mailbox {

    private Mailbox() {}

    /** The code in the link of the newest mail to the address whose subject starts so, waiting for it to arrive. */
    static String code(String address, String subjectStart, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Properties props = new Properties();
        props.put("mail.store.protocol", "imap");
        Session session = Session.getInstance(props);
        while (true) {
            try (Store store = session.getStore("imap")) {
                store.connect("127.0.0.1", Fleet.IMAP_PORT, address, address);
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] messages = inbox.getMessages();
                for (int i = messages.length - 1; i >= 0; i--) {
                    if (messages[i].getSubject() != null
                            && messages[i].getSubject().startsWith(subjectStart)) {
                        Matcher m = Pattern.compile("code=([A-Za-z0-9_-]+)")
                                .matcher(String.valueOf(messages[i].getContent()));
                        if (m.find()) {
                            return m.group(1);
                        }
                    }
                }
                inbox.close(false);
            } catch (jakarta.mail.AuthenticationFailedException noMailYet) {
                // GreenMail makes the mailbox when the first mail arrives.
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "no mail \"" + subjectStart + "...\" to " + address + " within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** The subjects of the mails to the address, oldest first (none when its mailbox does not exist yet). */
    static java.util.List<String> subjects(String address) throws Exception {
        Properties props = new Properties();
        props.put("mail.store.protocol", "imap");
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Store store = Session.getInstance(props).getStore("imap")) {
            store.connect("127.0.0.1", Fleet.IMAP_PORT, address, address);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message m : inbox.getMessages()) {
                out.add(m.getSubject());
            }
            inbox.close(false);
        } catch (jakarta.mail.AuthenticationFailedException noMailYet) {
            // GreenMail makes the mailbox when the first mail arrives.
        }
        return out;
    }
}
