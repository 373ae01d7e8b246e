import type { AlertTopicName, StageProfile } from "../stacks/profile.ts";

export interface AlertTopics {
  readonly page: sst.aws.SnsTopic;
  readonly ticket: sst.aws.SnsTopic;
}

/**
 * One SNS topic per severity with the stage's e-mail subscribers. The jobs link to
 * them as `AlertTopicPage` / `AlertTopicTicket` through `infra/links.ts`.
 *
 * @example
 * const topics = createAlertTopics(profile);
 * topicFor(topics, profile, "page"); // the ticket topic in dev, the page topic in production
 */
export function createAlertTopics(profile: StageProfile): AlertTopics {
  const page = new sst.aws.SnsTopic("AlertsPage");
  const ticket = new sst.aws.SnsTopic("AlertsTicket");
  const topics: AlertTopics = { page, ticket };
  for (const severity of ["page", "ticket"] as const) {
    profile.alerts.subscribers[severity].forEach((email, i) => {
      new aws.sns.TopicSubscription(
        `Alerts${severity === "page" ? "Page" : "Ticket"}Email${i + 1}`,
        {
          topic: topics[severity].arn,
          protocol: "email",
          endpoint: email,
        },
      );
    });
  }
  return topics;
}

/** The topic an alarm of `severity` notifies in this stage (the profile's routing). */
export function topicFor(
  topics: AlertTopics,
  profile: StageProfile,
  severity: AlertTopicName,
): sst.aws.SnsTopic {
  return topics[profile.alerts.route[severity]];
}
