package dev.cct.core;

/** Slow steps (image build, sandbox start, download) report here; the UI decides how to show it. */
public interface Progress {
    /** A step starts; a later {@link #update} refines it, {@link #done} ends it. */
    void start(String step);

    void update(String detail);

    void done(String summary);

    /** Something the user should know that is not a step: a stream re-attached, output that could not be recovered. */
    default void notice(String message) {
    }

    Progress NONE = new Progress() {
        @Override
        public void start(String step) {
        }

        @Override
        public void update(String detail) {
        }

        @Override
        public void done(String summary) {
        }
    };
}
