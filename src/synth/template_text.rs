//! The template's text in our own words: title, preamble, section titles, prompts and checklist wordings.

use super::*;

pub(super) const TITLE: &str = "# Exam report: 02476 Machine Learning Operations";

pub(super) const PREAMBLE: &str =
    "This file is the group's exam report. Replace each `--- question N fill here ---` marker \
with your answer and leave the headings alone, because the final hand-in is generated from this file. Images go in \
the `figures` folder (png or jpg) and are linked from the answer that needs them.";

pub(super) const CHECKLIST_INTRO: &str =
    "The list covers everything in the curriculum, so nobody is expected to tick every \
box. Be honest: the ticks are compared with the repositories.";

pub(super) const CHECKLIST_INTRO_TAGS: &str = "The tag in parentheses names the module an item belongs to.";

pub(super) const FRONT_MATTER: &str = "---\nlayout: default\nnav_exclude: true\n---\n\n";

/// Level-2 sections, in template order (each is one of [`template::SECTIONS`]).
pub(super) const SECTION_TITLES: &[&str] = &[
    "Group information",
    "Coding environment",
    "Version control",
    "Running code and tracking experiments",
    "Working in the cloud",
    "Deployment",
    "Overall discussion of project",
];

/// The section a question stands in, from its template number.
pub(super) fn section_of(set: QuestionSet, number: u32) -> usize {
    match (set, number) {
        (_, 0..=3) => 0,
        (_, 4..=6) => 1,
        (_, 7..=11) => 2,
        (_, 12..=16) => 3,
        (QuestionSet::Q27, 17..=24) | (QuestionSet::Q31, 17..=22) => 4,
        (QuestionSet::Q31, 23..=26) => 5,
        _ => 6,
    }
}

/// Our wording of each prompt (31-question template; 2023-24 and 2026 differences below).
#[rustfmt::skip]
pub(super) const PROMPTS: &[(AnswerKey, &str)] = &[
    (K::Group, "Enter the group number you signed up with on the course page."),
    (K::Students, "Enter the study number of each member of the group."),
    (K::Packages, "Which third-party framework did you choose to work with, and did it help you complete the project?"),
    (K::Dependencies, "How did you manage dependencies in your project? Describe what a new team member must do to get an exact copy of your environment."),
    (K::Structure, "We expect you started from the cookiecutter template. Describe the overall structure of your code: what did you fill out, and did you deviate from the template?"),
    (K::CodeQuality, "Did you implement rules for code quality and format? What about typing and documentation? Explain in your own words why these matter in larger projects."),
    (K::Tests, "How many tests did you implement, and what are they testing in your code?"),
    (K::Coverage, "What is the total code coverage (in percent) of your code? If it were 100%, would you trust the code to be free of errors? Explain why."),
    (K::Branches, "Did your workflow include branches and pull requests? Explain how, or how they could improve your version control."),
    (K::Dvc, "Did you use DVC for managing data in your project? If so, how did version control of your data help? If not, when would it be useful?"),
    (K::Ci, "Describe your continuous integration setup. What does it run (unit tests, linting, ...), on which operating systems and Python versions, and do you use caching? Feel free to link a workflow."),
    (K::Configs, "How did you configure experiments? Did you use config files? Show how you would run an experiment."),
    (K::Reproducibility, "Reproducibility of experiments matters. How did you make sure that no information is lost when running experiments and that they can be reproduced?"),
    (K::Tracking, "Include 1 to 3 screenshots of the experiments that you have done in W&B or another experiment tracking service, and explain which metrics you track and why."),
    (K::Docker, "Docker is a key tool for containerized applications. Explain how you used docker in your project, how you run your images, and link one of your docker files."),
    (K::Debugging, "How did you do debugging when running into bugs in your experiments? Did you try profiling your code?"),
    (K::GcpServices, "List all the GCP services that you made use of in your project and briefly explain what each one does."),
    (K::ComputeEngine, "Compute Engine is the backbone of GCP. How did you use it, and what type of VMs did you run?"),
    (K::Bucket, "Insert one or two images of your GCP bucket, so we can see the data you stored in it."),
    (K::Registry, "Upload one or two images of your artifact registry showing the docker images you stored."),
    (K::BuildHistory, "Upload one or two images of your cloud build history, showing the images that have been built."),
    (K::CloudTraining, "Did you manage to train your model in the cloud using Compute Engine or Vertex AI? Explain how you did it, or why you could not."),
    (K::Api, "Did you manage to write an API for your model? Explain how, and whether you did anything special."),
    (K::Deploy, "Did you manage to deploy your API, locally or in the cloud? Describe how, and how one invokes the deployed service."),
    (K::ApiTesting, "Did you do unit testing and load testing of your API? Explain how, and what the load test showed."),
    (K::Monitoring, "Did you manage to implement monitoring of your deployed model? Explain how it works, or how monitoring would help the lifetime of your application."),
    (K::Credits, "How many credits did you spend during the project, and which service was the most expensive? What do you think of working in the cloud?"),
    (K::Extras, "Did you implement anything extra that is not covered by other questions? If so, explain what you did and why."),
    (K::Architecture, "Include a figure of the overall architecture of your system and the services you use, and explain the steps of the figure in your own words."),
    (K::Struggles, "Discuss the overall struggles of the project. Where did you spend most time, and what did you do to overcome these challenges?"),
    (K::Contributions, "State the individual contributions of each team member, and whether and how you used generative AI tools in the project."),
];

/// Where the 27-question template asked differently.
#[rustfmt::skip]
pub(super) const PROMPTS_2023: &[(AnswerKey, &str)] = &[
    (K::CodeQuality, "Did you implement any rules for code quality and format? Explain why such rules matter in larger projects."),
    (K::Registry, "Upload one image of your container registry showing the docker images you stored."),
    (K::BuildHistory, "Upload one image of your cloud build history, showing the images that have been built."),
    (K::Deploy, "Did you manage to deploy your model, either locally or in the cloud? Describe how one invokes the deployed service."),
    (K::Credits, "How many credits did you end up using, and which service was the most expensive?"),
    (K::Contributions, "State the individual contributions of each team member."),
];

/// The 2026 template made the package question optional and reworded it.
pub(super) const PROMPTS_2026: &[(AnswerKey, &str)] = &[(
    K::Packages,
    "Did you end up using any open-source frameworks/packages not covered in the course? Which ones, and did they help?",
)];

/// A question no template has (a group's own addition).
pub(super) const EXTRA_PROMPT: &str = "What would you like to tell the teachers about your experience of the course?";

pub(super) const EXTRA_ANSWER: &[&str] = &[
    "We enjoyed the course a lot, even if the workload in the last week was heavy.",
    "The exercises were well prepared and most of them transferred directly to our project.",
    "It would have helped to get the cloud credits a little earlier in the course.",
    "Working on a real pipeline instead of a single notebook changed how we think about machine learning code.",
    "The teaching assistants were quick to help whenever we got stuck.",
];

pub(super) fn prompt(cohort: Cohort, key: AnswerKey) -> &'static str {
    let lookup = |table: &[(AnswerKey, &'static str)]| table.iter().find(|(k, _)| *k == key).map(|(_, p)| *p);
    let special = match cohort {
        Cohort::Y2023_24 => lookup(PROMPTS_2023),
        Cohort::Y2026 => lookup(PROMPTS_2026),
        Cohort::Y2025 => None,
    };
    special.or_else(|| lookup(PROMPTS)).unwrap_or("")
}

/// Our wording of every checklist item, as CL-2025/2026 lists them (without the module tag, added from
/// [`template::CHECKLIST`]).
#[rustfmt::skip]
pub(super) const ITEM_TEXT: &[(ChecklistId, &str)] = &[
    (C::GitRepo, "Create a git repository for the project"),
    (C::WriteAccess, "Make sure every team member has write access to the GitHub repository"),
    (C::Environment, "Create a dedicated environment for the project to keep track of your packages"),
    (C::Cookiecutter, "Create the initial file structure with cookiecutter and a fitting template"),
    (C::DataScript, "Fill out `data.py` so that it downloads the data you need and preprocesses it, if necessary"),
    (C::ModelTrain, "Add a model to `model.py` and a training procedure to `train.py`, and get it running"),
    (C::Requirements, "Keep the `requirements.txt` and `requirements_dev.txt` files up to date with the dependencies you use"),
    (C::Pep8, "Follow good coding practices (`pep8`) throughout the project"),
    (C::TypingDocs, "Add some code typing and document the essential parts of your code"),
    (C::DataVersioning, "Set up version control for your data or part of it"),
    (C::Cli, "Add command line interfaces and project commands to your code where it makes sense"),
    (C::Dockerfiles, "Write one or more docker files for your code"),
    (C::DockerBuild, "Build the docker files locally and check that they work as intended"),
    (C::ConfigFiles, "Write one or more configuration files for your experiments"),
    (C::Hydra, "Use Hydra to load the configurations and manage your hyperparameters"),
    (C::Profiling, "Profile your code to find and fix the slow parts"),
    (C::Logging, "Use logging to log important events in your code"),
    (C::Wandb, "Log training progress and other important metrics to Weights & Biases"),
    (C::Sweep, "Consider running a hyperparameter optimization sweep"),
    (C::Lightning, "Use PyTorch Lightning, if it fits, to cut down on boilerplate"),
    (C::TestsData, "Write unit tests for the data part of your code"),
    (C::TestsModel, "Write unit tests for model construction and/or model training"),
    (C::Coverage, "Calculate the code coverage"),
    (C::Ci, "Get continuous integration running on the GitHub repository"),
    (C::CiMatrixCaching, "Add caching and multi-os/python/pytorch testing to your continuous integration"),
    (C::CiLinting, "Add a linting step to your continuous integration"),
    (C::PreCommit, "Add pre-commit hooks to your version control setup"),
    (C::CmlDataTrigger, "Add a continuous workflow that triggers when data changes"),
    (C::CmlRegistryTrigger, "Add a continuous workflow that triggers when the model registry changes"),
    (C::GcpBucket, "Create a data storage in a GCP bucket and link it to your data version control setup"),
    (C::BuildTrigger, "Create a trigger workflow for automatically building your docker images"),
    (C::CloudTraining, "Get your model training in GCP with either Compute Engine or Vertex AI"),
    (C::Fastapi, "Create a FastAPI application that does inference with your model"),
    (C::Torchserve, "If it applies, try deploying the model locally with torchserve"),
    (C::CloudDeploy, "Deploy your model in GCP using either Functions or Run as the backend"),
    (C::ApiTests, "Write API tests for your application and run them in continuous integration"),
    (C::LoadTest, "Load test your application"),
    (C::OnnxBentoml, "Create a more specialised deployment API with ONNX and/or BentoML"),
    (C::Frontend, "Create a frontend for your API"),
    (C::DriftRobustness, "Check how robust your model is towards data drifting"),
    (C::IoCollection, "Set up collection of input-output data from your deployed application"),
    (C::DriftApi, "Deploy a drift detection API to the cloud"),
    (C::SystemMetrics, "Instrument your API with a couple of system metrics"),
    (C::CloudMonitoring, "Set up cloud monitoring of your instrumented application"),
    (C::Alerts, "Create one or more alert systems in GCP that warn you when your app misbehaves"),
    (C::DistributedData, "If it applies, speed up your data loading with distributed data loading"),
    (C::DistributedTraining, "If it applies, speed up your training pipeline with distributed training"),
    (C::Quantization, "Play around with quantization, compilation and pruning to speed up inference"),
    (C::DocsWrite, "Write documentation for your application"),
    (C::DocsPublish, "Publish the documentation to GitHub Pages"),
    (C::Revisit, "Revisit the initial project description: did the project turn out as you wanted?"),
    (C::ArchitectureDiagram, "Draw an architecture diagram of your MLOps pipeline"),
    (C::Understanding, "Make sure every member has an understanding of all parts of the project"),
    (C::UploadCode, "Upload all your code to GitHub"),
];

/// Where CL-2023 worded an item differently (its W&B item also suggests a sweep, which is still `wandb`).
#[rustfmt::skip]
pub(super) const ITEM_TEXT_2023: &[(ChecklistId, &str)] = &[
    (C::Cookiecutter, "Create the initial file structure using cookiecutter"),
    (C::DataScript, "Fill out `make_dataset.py` so that it downloads whatever data you need"),
    (C::ModelTrain, "Add a model file and a training script and get them running"),
    (C::Requirements, "Remember to fill out the `requirements.txt` file with the dependencies you use"),
    (C::Profiling, "Once something works, profile it to see where the code can be optimised"),
    (C::Wandb, "Use Weights & Biases to log training progress and other important metrics/artifacts. Additionally, consider running a hyperparameter optimization sweep"),
    (C::Coverage, "Calculate the coverage."),
    (C::GcpBucket, "Create a data storage in a GCP bucket for your data, ideally linked with your data version control setup"),
    (C::SystemMetrics, "Set up monitoring of the system telemetry of your deployed model"),
    (C::CloudMonitoring, "Set up monitoring of the performance of your deployed model"),
    (C::DistributedData, "If it applies, play around with distributed data loading"),
    (C::DistributedTraining, "If it applies, play around with distributed model training"),
    (C::UploadCode, "Uploaded all your code to GitHub"),
];

/// The 2026 requirements item also names the uv files.
pub(super) const ITEM_TEXT_2026: &[(ChecklistId, &str)] = &[(
    C::Requirements,
    "Keep `pyproject.toml`, `uv.lock` or the requirements files up to date with the dependencies you use",
)];

/// An item's text as a generation's list shows it, module tag included.
pub(super) fn item_text(id: ChecklistId, generation: ChecklistGeneration) -> String {
    let lookup = |table: &[(ChecklistId, &'static str)]| table.iter().find(|(i, _)| *i == id).map(|(_, t)| *t);
    let special = match generation {
        ChecklistGeneration::Cl2023 => lookup(ITEM_TEXT_2023),
        ChecklistGeneration::Cl2026 => lookup(ITEM_TEXT_2026),
        _ => None,
    };
    let text = special.or_else(|| lookup(ITEM_TEXT)).unwrap_or("");
    match checklist_item(id).module {
        Some(tag) if template::generation_spec(generation).module_tags => format!("{text} ({tag})"),
        _ => text.to_string(),
    }
}

pub(super) fn week_label(week: Week, generation: ChecklistGeneration) -> &'static str {
    match week {
        Week::Week1 => "Week 1",
        Week::Week2 => "Week 2",
        Week::Week3 => "Week 3",
        Week::Extra if generation == ChecklistGeneration::Cl2023 => "Additional",
        Week::Extra => "Extra",
    }
}
