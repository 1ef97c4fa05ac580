//! Sentence pools: what answers say, chosen by what the group did, and the phrasings of stated facts.

use super::*;

/// What a group worked on; fills the `{task}`, `{data}`, `{model}`, `{framework}` and `{pkg}` placeholders.
pub(super) struct Theme {
    pub(super) task: &'static str,
    pub(super) data: &'static str,
    pub(super) model: &'static str,
    pub(super) framework: &'static str,
    pub(super) pkg: &'static str,
}

#[rustfmt::skip]
pub(super) const THEMES: &[Theme] = &[
    Theme { task: "classifying bird species from photos", data: "a public collection of bird photos", model: "an EfficientNet", framework: "timm", pkg: "bird_classifier" },
    Theme { task: "detecting the sentiment of product reviews", data: "an open set of product reviews", model: "a DistilBERT model", framework: "Hugging Face transformers", pkg: "review_sentiment" },
    Theme { task: "recognising spoken keywords", data: "a set of short voice recordings", model: "a small convolutional network on mel spectrograms", framework: "torchaudio", pkg: "keyword_spotting" },
    Theme { task: "predicting properties of molecules", data: "a public set of molecule graphs", model: "a graph convolutional network", framework: "PyTorch Geometric", pkg: "molecule_props" },
    Theme { task: "forecasting electricity demand", data: "hourly load data from the grid operator", model: "a temporal convolutional network", framework: "Darts", pkg: "load_forecast" },
    Theme { task: "segmenting roads in satellite images", data: "a public set of aerial image tiles", model: "a U-Net", framework: "segmentation-models-pytorch", pkg: "road_segmentation" },
];

pub(super) const ENV_TOOLS: &[&str] = &["uv", "conda", "pip", "poetry"];

/// Sentences for one answer. A block with `lead > 0` holds alternatives saying the same thing: `lead` of them are
/// always used when the block applies, so the answer never leaves out a tool the group used (or the admission that
/// it did not). A block with `lead == 0` is filler drawn on until the answer reaches its length.
pub(super) struct Lines {
    pub(super) key: AnswerKey,
    pub(super) when: When,
    pub(super) lead: usize,
    pub(super) sentences: &'static [&'static str],
}

pub(super) const fn l(key: AnswerKey, when: When, lead: usize, sentences: &'static [&'static str]) -> Lines {
    Lines { key, when, lead, sentences }
}

#[rustfmt::skip]
pub(super) const LINES: &[Lines] = &[
    // packages
    l(K::Packages, ALWAYS, 1, &[
        "We chose {framework} as our third-party package, since it is built for problems like {task}.",
        "The main package we added beyond the course was {framework}, which fits {task} well.",
    ]),
    l(K::Packages, ALWAYS, 0, &[
        "From {framework} we mostly used the pretrained weights and the ready-made data transforms.",
        "Starting from {model} meant we could spend our time on the pipeline rather than on the architecture.",
        "The package is well documented, so getting the first training run going took less than a day.",
        "On the downside, a few of its defaults clashed with our own configuration and took some digging to override.",
        "We pinned its version after an update renamed a function we relied on.",
        "Overall it helped a lot: without it we would have had to write and debug a large amount of model code ourselves.",
        "It also integrated nicely with the rest of our PyTorch code, so there was little glue code to maintain.",
        "We looked at a couple of alternatives first, but this package had the most active community and the clearest examples.",
    ]),
    // dependencies
    l(K::Dependencies, ALWAYS, 1, &[
        "We managed our dependencies with {env}, and every package we rely on is listed with a pinned version.",
        "Dependencies are handled with {env}, and the exact versions are written down in the repository.",
    ]),
    l(K::Dependencies, ALWAYS, 0, &[
        "A new team member clones the repository, installs {env} and runs a single install command to get an exact copy of the environment.",
        "Development-only tools such as the test runner and the linters live in a separate group of dependencies.",
        "Whenever someone added a package, they updated the pinned versions in the same pull request so that nobody ended up with a different setup.",
        "We also wrote the install steps in the README so that nobody had to remember them.",
        "Python itself is pinned to a single minor version, because one of our packages did not yet support the newest release.",
        "In the beginning we had a hand-written list of packages that quickly went out of date, which taught us to let the tool generate the pins.",
        "The same dependency files are used locally and in continuous integration, so the environments agree.",
        "Getting the GPU versions of the libraries right on the different laptops was the only part that needed manual work.",
    ]),
    // structure
    l(K::Structure, ALWAYS, 1, &[
        "We started from the course's cookiecutter template, which gave us the usual `src`, `tests`, `data`, `models` and `reports` folders.",
        "Our repository was created from the cookiecutter template of the course and we kept most of its layout.",
    ]),
    l(K::Structure, ALWAYS, 0, &[
        "Our package lives in `src/{pkg}`, with separate modules for the data, the model, training and evaluation.",
        "We filled out the data, model and training modules and added a module for serving predictions.",
        "We removed the notebooks folder because nobody used it.",
        "We added a `configs` folder for the experiment settings.",
        "Apart from that we kept to the template, because it made it easy for everyone to find things.",
        "The only real deviation is a `scripts` folder with a few helper scripts for downloading and inspecting the data.",
        "Raw and processed data are kept apart in `data/raw` and `data/processed`, and neither is committed to git.",
        "The tests mirror the package layout, so the tests for the data module sit in their own file.",
    ]),
    // code quality
    l(K::CodeQuality, did(&[C::Pep8]), 1, &[
        "We used ruff both as linter and formatter, with the line length raised to a more generous limit.",
        "Formatting and linting are handled by ruff, which we run before every commit.",
    ]),
    l(K::CodeQuality, not(&[C::Pep8]), 1, &[
        "We did not enforce any formatter or linter, and the style of the code varies a bit between files.",
        "Code style was left to each of us, which we regretted when reviewing each other's changes.",
    ]),
    l(K::CodeQuality, did(&[C::TypingDocs]), 1, &[
        "Most functions have type hints and a short docstring that says what goes in and what comes out.",
        "We added type hints to the public functions and checked them with mypy now and then.",
    ]),
    l(K::CodeQuality, not(&[C::TypingDocs]), 1, &[
        "We did not get far with typing, and only the main functions have docstrings.",
    ]),
    l(K::CodeQuality, ALWAYS, 0, &[
        "In a larger project these rules matter because many people read the same code, and a consistent style lets them focus on what the code does.",
        "Type hints work as documentation that cannot go stale, and they catch a surprising number of mistakes before the code even runs.",
        "Good documentation also lowers the cost of bringing a new person onto the project.",
        "Agreeing on the rules early saved us from long discussions about formatting in code review.",
    ]),
    // tests (the count is added by the generator; no numbers here)
    l(K::Tests, did(&[C::TestsData]), 1, &[
        "The data tests check that the processed dataset has the expected size, shapes and label range.",
        "For the data we test that loading and preprocessing give tensors of the right shape and type.",
    ]),
    l(K::Tests, did(&[C::TestsModel]), 1, &[
        "The model tests feed a random batch through the network and check the shape of the output.",
        "For the model we check the output shape and that a training step actually changes the weights.",
    ]),
    l(K::Tests, not(&[C::TestsData, C::TestsModel]), 1, &[
        "We did not get around to writing unit tests, so the code was only tested by running it.",
        "Unfortunately we never wrote proper unit tests; we relied on running the training script to see if things worked.",
    ]),
    l(K::Tests, any(&[C::TestsData, C::TestsModel]), 0, &[
        "We used pytest and kept the tests fast so they could run on every push.",
        "Tests that need the full dataset are skipped when the data is not available, for example in CI.",
        "Writing the tests exposed a bug in our preprocessing where the labels were misaligned.",
        "The tests live in the `tests` folder and mirror the modules they test.",
    ]),
    // coverage (the percentage is added by the generator)
    l(K::Coverage, did(&[C::Coverage]), 0, &[
        "The number comes from running pytest together with coverage.py on the source folder.",
        "The parts with the lowest coverage are the training loop and the command line entry points, which are awkward to test.",
        "Coverage was mostly useful to us as a map of which files nobody had written tests for yet.",
    ]),
    l(K::Coverage, not(&[C::Coverage]), 1, &[
        "We never set up a coverage report, so we cannot give a number.",
        "We did not measure the coverage of our tests.",
    ]),
    l(K::Coverage, ALWAYS, 0, &[
        "High coverage only tells us that lines were executed during the tests, not that the results were checked.",
        "Bugs can still hide in interactions between modules or in data we never thought to test with.",
        "We would still want integration tests and some manual checks before trusting the code in production.",
    ]),
    // branches
    l(K::Branches, ALWAYS, 1, &[
        "Every feature was developed on its own branch and merged into main through a pull request.",
        "We worked with feature branches and pull requests from the first week.",
    ]),
    l(K::Branches, ALWAYS, 0, &[
        "We protected the main branch so that a pull request needed an approving review and passing checks before it could be merged.",
        "Small fixes were sometimes pushed straight to main early on, which led to a couple of broken builds and made us stricter.",
        "Reviews were short but useful: they spread knowledge about the code and caught several mistakes.",
        "We named branches after the person and the feature, which made the history easy to follow.",
        "Merge conflicts were rare because we split the work by module.",
        "Pull requests also gave the continuous integration a natural place to run before anything reached main.",
        "Without branches, every half-finished change would have landed directly in the code everyone else was running.",
    ]),
    // dvc
    l(K::Dvc, did(&[C::DataVersioning, C::GcpBucket]), 1, &[
        "We used dvc to version the data, with a GCP bucket as the remote storage.",
        "Our data is tracked with dvc, so the repository only holds small pointer files while the data itself sits in cloud storage.",
    ]),
    l(K::Dvc, did_not(&[C::DataVersioning], &[C::GcpBucket]), 1, &[
        "We used dvc to version the data, with a shared Google Drive folder as the remote.",
    ]),
    l(K::Dvc, did(&[C::DataVersioning]), 0, &[
        "When we changed the preprocessing, dvc let us go back to the earlier version of the processed data to compare results.",
        "Pulling the data with dvc became the first step of both our training image and our CI workflow.",
    ]),
    l(K::Dvc, not(&[C::DataVersioning]), 1, &[
        "We did not put our data under version control, since the dataset never changed during the project.",
        "We kept a single copy of the dataset in a shared folder instead of versioning it.",
    ]),
    l(K::Dvc, ALWAYS, 0, &[
        "Version control of data is valuable when the data changes over time, because a model can then be traced back to exactly the data it was trained on.",
        "It also makes it possible to reproduce an old experiment months later.",
        "For a dataset that grows with new labels every week, versioning would be close to essential.",
    ]),
    // continuous integration
    l(K::Ci, did(&[C::Ci]), 1, &[
        "Our continuous integration runs on GitHub Actions, with separate workflows for the tests and for code checks.",
        "We use GitHub Actions to run the unit tests on every push and every pull request.",
    ]),
    l(K::Ci, did(&[C::Ci, C::CiMatrixCaching]), 1, &[
        "The test workflow runs on Ubuntu, macOS and Windows with several Python versions, and caches the installed packages to save time.",
    ]),
    l(K::Ci, did_not(&[C::Ci], &[C::CiMatrixCaching]), 1, &[
        "We only test on Ubuntu with a single Python version and have not set up caching.",
    ]),
    l(K::Ci, did(&[C::Ci, C::CiLinting]), 1, &[
        "A separate step runs the linter so that style problems are caught before review.",
    ]),
    l(K::Ci, did(&[C::Ci, C::PreCommit]), 1, &[
        "Locally, pre-commit hooks format the code and strip trailing whitespace before each commit.",
    ]),
    l(K::Ci, did(&[C::Ci]), 1, &[
        "An example run of our test workflow can be found [here]({repo}/actions/workflows/tests.yaml).",
        "Our main workflow is [tests.yaml]({repo}/blob/main/.github/workflows/tests.yaml).",
    ]),
    l(K::Ci, did(&[C::Ci, C::BuildTrigger]), 0, &[
        "Merging to main also triggers a build of our images in the cloud.",
    ]),
    l(K::Ci, not(&[C::Ci]), 1, &[
        "We did not get continuous integration working; tests were run by hand before merging.",
    ]),
    l(K::Ci, ALWAYS, 0, &[
        "Continuous integration gives confidence that a pull request does not break the existing code.",
        "The workflows took a few minutes each, which was fast enough that nobody tried to skip them.",
        "Most failures we saw were caused by missing data or secrets in the CI environment rather than by real bugs.",
    ]),
    // configs (a command line example is added by the generator)
    l(K::Configs, did(&[C::ConfigFiles, C::Hydra]), 1, &[
        "We used hydra with one config file per experiment, and any value can be overridden from the command line.",
        "Experiments are configured with hydra: a default config sets the hyperparameters and experiment files override only what differs.",
    ]),
    l(K::Configs, did_not(&[C::ConfigFiles], &[C::Hydra]), 1, &[
        "We kept the hyperparameters in a YAML config file that the training script reads with a small loader of our own.",
    ]),
    l(K::Configs, not(&[C::ConfigFiles]), 1, &[
        "We did not use config files; hyperparameters are passed as command line arguments to the training script.",
    ]),
    l(K::Configs, ALWAYS, 0, &[
        "This kept the hyperparameters out of the code, so a new experiment never required a code change.",
        "Every run stores a copy of its settings next to its outputs.",
    ]),
    // reproducibility
    l(K::Reproducibility, ALWAYS, 1, &[
        "Every run logs its full configuration, the git commit and the random seed, so we can always tell how a result was produced.",
        "We fixed the random seeds of Python, NumPy and PyTorch and saved the settings of every run.",
    ]),
    l(K::Reproducibility, ALWAYS, 0, &[
        "Trained models are saved together with the configuration that produced them.",
        "To reproduce an experiment, one checks out the commit, pulls the same data and runs the training with the stored settings.",
        "Running inside the same container image removed most differences between our machines.",
        "We noticed that results still varied slightly on the GPU, which we accepted rather than forcing deterministic kernels.",
        "Nothing is tuned by hand without being written down in a config file.",
    ]),
    l(K::Reproducibility, did(&[C::Wandb]), 0, &[
        "The experiment tracker keeps the metrics and artifacts of each run, so nothing lives only in someone's terminal.",
    ]),
    // experiment tracking (screenshots are added by the generator)
    l(K::Tracking, did(&[C::Wandb]), 1, &[
        "We tracked our experiments in Weights & Biases (wandb), logging the training and validation loss for every run.",
        "All training runs report to wandb, where we follow the loss curves live and compare runs side by side.",
    ]),
    l(K::Tracking, did(&[C::Wandb, C::Sweep]), 1, &[
        "We also ran a wandb sweep over the learning rate and batch size to see which settings mattered most.",
    ]),
    l(K::Tracking, not(&[C::Wandb]), 1, &[
        "We logged our metrics with TensorBoard instead of an online tracker, and the screenshots come from there.",
    ]),
    l(K::Tracking, ALWAYS, 0, &[
        "The training loss tells us whether the optimisation works at all, while the validation loss shows when the model starts to overfit.",
        "We track accuracy and the F1 score, since our classes are not balanced and accuracy alone is misleading.",
        "We also log a handful of example predictions every epoch, which made it easy to spot when the model confused similar classes.",
        "The learning rate is logged as well, because we used a scheduler and wanted to see its effect on the loss.",
        "Comparing runs in one place helped us agree on which model to deploy.",
        "Gradient norms were logged during the first experiments to check that training was stable.",
    ]),
    // docker
    l(K::Docker, did(&[C::Dockerfiles]), 1, &[
        "We wrote two docker images: one for training and one for serving the API.",
        "Docker is used for both training and inference, with a separate docker file for each.",
    ]),
    l(K::Docker, did(&[C::Dockerfiles]), 0, &[
        "To train, one runs `docker run --rm -v $(pwd)/data:/data trainer:latest`, which mounts the data folder into the container.",
        "The docker images start from a slim Python base image, and the dependency install step comes first so it is cached between builds.",
        "Our training docker file can be found [here]({repo}/blob/main/dockerfiles/train.dockerfile).",
    ]),
    l(K::Docker, did(&[C::Dockerfiles, C::DockerBuild]), 0, &[
        "We built and tried the docker images locally before letting the cloud build them.",
    ]),
    l(K::Docker, not(&[C::Dockerfiles]), 1, &[
        "We never containerised the project and ran everything directly in our Python environments.",
        "We did not get to containers, which in hindsight made moving training to the cloud harder.",
    ]),
    l(K::Docker, ALWAYS, 0, &[
        "Containers make the environment part of the deliverable, so the code runs the same way on a laptop and in the cloud.",
    ]),
    // debugging
    l(K::Debugging, did(&[C::Profiling]), 1, &[
        "We profiled the training loop with cProfile and looked at the results in snakeviz.",
        "Running cProfile on an epoch showed that most of the time went into loading and decoding the inputs.",
    ]),
    l(K::Debugging, did(&[C::Profiling]), 0, &[
        "Moving the decoding into the preprocessing step and adding workers to the data loader made an epoch roughly twice as fast.",
    ]),
    l(K::Debugging, not(&[C::Profiling]), 1, &[
        "We did not profile the code; training was fast enough for our dataset that it never became a bottleneck.",
    ]),
    l(K::Debugging, ALWAYS, 0, &[
        "Most bugs we met were found with the debugger in VS Code and a few well-placed breakpoints.",
        "When something went wrong in the cloud we reproduced it locally in the same container first.",
        "Shape mismatches were the most common error, and printing tensor shapes at each layer usually solved them.",
        "We do not think the code is perfect, but the obvious slow spots have been dealt with.",
        "Logging at debug level helped us follow what happened in runs we could not attach a debugger to.",
        "Pair debugging over a shared screen was often quicker than one person staring at the error alone.",
    ]),
    // GCP services (the list of services is added by the generator)
    l(K::GcpServices, ALWAYS, 0, &[
        "Most of them were set up through the web console first and scripted later.",
        "Keeping everything in one project made permissions simple.",
        "Service accounts with narrow roles connect the services to each other.",
    ]),
    // compute engine
    l(K::ComputeEngine, ALWAYS, 1, &[
        "We used Compute Engine mainly for training runs that were too slow on our laptops.",
        "Compute Engine gave us virtual machines for the experiments that did not fit on our own hardware.",
    ]),
    l(K::ComputeEngine, ALWAYS, 0, &[
        "Our VMs were of the e2-standard and n1-standard families, and for the longer runs we attached a single T4 GPU.",
        "We started the VMs from a deep learning image so that the GPU drivers and PyTorch were already installed.",
        "Instead of installing our code by hand, we started the training container directly on the VM.",
        "We learned to stop the VMs right after a run, since an idle GPU machine eats credits quickly.",
        "Getting GPU quota approved took a couple of days, so the first runs were on CPU only.",
        "Apart from training, we used a small VM to try out the API before deploying it properly.",
    ]),
    // screenshots
    l(K::Bucket, ALWAYS, 0, &[
        "The bucket holds the raw and processed data as well as the trained model files.",
        "Here is our bucket with the data folders and the saved models.",
    ]),
    l(K::Registry, ALWAYS, 0, &[
        "The registry holds the training and API images, tagged with the commit they were built from.",
    ]),
    l(K::BuildHistory, ALWAYS, 0, &[
        "Each entry is a build triggered by a push to main.",
    ]),
    // cloud training
    l(K::CloudTraining, did(&[C::CloudTraining]), 1, &[
        "Yes, we trained our model in the cloud with Vertex AI custom jobs that run our training image.",
        "We moved training to Vertex AI, submitting a custom job with a config file that points at our training container.",
    ]),
    l(K::CloudTraining, did(&[C::CloudTraining]), 0, &[
        "The job reads the data from our bucket and writes the trained model back to it.",
        "We chose this over a plain VM because the job shuts down by itself when training ends.",
    ]),
    l(K::CloudTraining, not(&[C::CloudTraining]), 1, &[
        "We did not manage to train in the cloud; our jobs kept failing on permissions, and the model trained quickly enough on a laptop anyway.",
    ]),
    l(K::CloudTraining, ALWAYS, 0, &[
        "The API keys for the experiment tracker were passed in as secrets rather than baked into the image.",
        "A full training run took well under an hour, so we could iterate several times a day.",
    ]),
    // api
    l(K::Api, did(&[C::Fastapi]), 1, &[
        "We wrote the API with FastAPI, with a prediction endpoint that takes an input and returns the predicted class and its probability.",
        "Our API is a small FastAPI app that loads the model once at startup and serves predictions.",
    ]),
    l(K::Api, did(&[C::Fastapi]), 0, &[
        "Input validation is done with pydantic models, so malformed requests are rejected with a clear error.",
        "A health endpoint lets the hosting platform check that the service is alive.",
    ]),
    l(K::Api, not(&[C::Fastapi]), 1, &[
        "We did not build a full API; the closest we got is a prediction script that loads the model and prints the result.",
    ]),
    l(K::Api, did(&[C::OnnxBentoml]), 1, &[
        "We also exported the model to ONNX and served it with BentoML, which cut the prediction time noticeably.",
    ]),
    l(K::Api, ALWAYS, 0, &[
        "The model checkpoint is downloaded when the service starts, so the image itself stays small.",
        "We kept the preprocessing in a shared module so the API and the training use exactly the same code.",
    ]),
    // deploy
    l(K::Deploy, did(&[C::CloudDeploy]), 1, &[
        "We deployed the API to Cloud Run, which runs our container and scales it down to zero when nobody uses it.",
        "The service runs on Cloud Run, and a new revision is rolled out whenever a new image lands in the registry.",
    ]),
    l(K::Deploy, did(&[C::CloudDeploy]), 0, &[
        "The service answers at https://{slug}-{hash}-ew.a.run.app and can be called with a POST request to its predict endpoint.",
    ]),
    l(K::Deploy, not(&[C::CloudDeploy]), 1, &[
        "We only deployed the API locally, running it with uvicorn on our own machines.",
        "Deployment never went beyond running the service locally.",
    ]),
    l(K::Deploy, ALWAYS, 0, &[
        "Locally the service starts with a single command, and the interactive docs page is handy for trying it out.",
        "Invoking the service is a single POST request with the input in the body.",
    ]),
    // api testing
    l(K::ApiTesting, did(&[C::ApiTests]), 1, &[
        "We wrote API tests with pytest and the FastAPI test client, and they run in our CI on every push.",
    ]),
    l(K::ApiTesting, not(&[C::ApiTests]), 1, &[
        "We did not write unit tests for the API itself.",
    ]),
    l(K::ApiTesting, did(&[C::LoadTest]), 1, &[
        "For load testing we used locust, ramping up the number of simulated users against the deployed service.",
        "We load tested the API with locust and watched the response times as the number of users grew.",
    ]),
    l(K::ApiTesting, did(&[C::LoadTest]), 1, &[
        "With {users} simulated users the median response time was {ms} ms, and requests only started failing at about {rps} requests per second.",
    ]),
    l(K::ApiTesting, not(&[C::LoadTest]), 1, &[
        "We did not load test the API; we would have simulated many users hitting the prediction endpoint and watched the latency and error rate.",
        "Load testing is something we did not get to, but it would tell us how many requests the service can take before it slows down.",
    ]),
    l(K::ApiTesting, ALWAYS, 0, &[
        "Testing the API separately from the model made it easy to see whether a failure came from the web layer or from the predictions.",
    ]),
    // monitoring
    l(K::Monitoring, did(&[C::SystemMetrics]), 1, &[
        "The API exposes prometheus metrics such as request counts, latency and errors on a metrics endpoint.",
    ]),
    l(K::Monitoring, did(&[C::CloudMonitoring]), 1, &[
        "In the cloud we use Cloud Monitoring dashboards to follow latency and error rates of the deployed service.",
    ]),
    l(K::Monitoring, did(&[C::Alerts]), 1, &[
        "An alert sends us an email when the error rate goes above a threshold.",
    ]),
    l(K::Monitoring, did(&[C::DriftRobustness]), 1, &[
        "We also checked for data drift with Evidently by comparing new inputs with the training data.",
    ]),
    l(K::Monitoring, not(&[C::SystemMetrics, C::CloudMonitoring]), 1, &[
        "We did not implement monitoring of the deployed model.",
    ]),
    l(K::Monitoring, ALWAYS, 0, &[
        "Monitoring matters because a model that worked at deployment can quietly get worse as the incoming data changes.",
        "Without it, the first sign of trouble would be an unhappy user rather than a graph.",
        "Tracking the latency over time would also tell us when to scale the service.",
    ]),
    // credits (the amount and the most expensive service are added by the generator; no numbers here)
    l(K::Credits, ALWAYS, 0, &[
        "Working in the cloud was useful but had a steep learning curve, mostly because of permissions and service accounts.",
        "Once things were set up, it was convenient to hand long jobs to the cloud and keep working locally.",
        "We found the web console easier to start with, and the command line tool better once we knew what we wanted.",
        "Keeping an eye on the billing page became a habit after a forgotten VM cost us more than expected.",
        "Overall the cloud felt powerful but easy to overspend on.",
    ]),
    // extras
    l(K::Extras, did(&[C::Frontend]), 1, &[
        "We built a small frontend in streamlit where a user can upload an input and see the prediction.",
    ]),
    l(K::Extras, did(&[C::Frontend]), 0, &[
        "It was a nice way to show the project to people outside the course.",
    ]),
    l(K::Extras, did(&[C::DocsWrite]), 1, &[
        "We wrote documentation with mkdocs covering installation, training and the API.",
    ]),
    l(K::Extras, did(&[C::DriftApi]), 1, &[
        "A separate drift detection service compares recent requests with the training data and reports the result.",
    ]),
    l(K::Extras, not(&[C::Frontend, C::DocsWrite, C::DriftApi]), 1, &[
        "We did not implement anything beyond what the other answers describe.",
    ]),
    // architecture (the figure and the pipeline steps are added by the generator)
    l(K::Architecture, ALWAYS, 0, &[
        "We drew the figure ourselves to get an overview of how the pieces connect.",
        "Arrows show the direction data and code move in.",
        "The left half covers development and the right half covers what runs in the cloud.",
        "Most of the components were added step by step during the course, so the figure also tells the story of the project.",
        "In a real product we would add a staging environment between the build and the deployment.",
        "The figure leaves out secrets management, which we handled with environment variables.",
    ]),
    // struggles
    l(K::Struggles, ALWAYS, 1, &[
        "The biggest struggle was the cloud: permissions, service accounts and quotas took far more time than the machine learning.",
        "Most of our time went into getting the different tools to work together rather than into the model itself.",
    ]),
    l(K::Struggles, ALWAYS, 0, &[
        "Getting the images to build in the cloud took several days, mostly because of differences between our machines and the build environment.",
        "Our first dataset turned out to be too noisy, so we switched datasets early on.",
        "Merge conflicts in the configuration files were a recurring annoyance until we split them up.",
        "We spent a lot of time waiting for builds and training jobs, which we eventually addressed by caching and by testing on small subsets.",
        "Keeping the secrets out of the repository while still making them available to CI and the cloud was harder than expected.",
        "Coordinating the whole group on one code base required more communication than any of us were used to.",
        "Whenever we were stuck for more than an hour, we asked the teaching assistants or searched the course's discussion forum.",
        "In hindsight we should have set up the full pipeline with a trivial model first and improved the model later.",
        "Debugging failures that only happened in CI was slow, because each attempt meant a new push and a few minutes of waiting.",
        "Version mismatches between packages broke our environment twice, which is what made us start pinning everything.",
        "Despite the struggles, seeing the whole pipeline run from a push to a deployed model was very satisfying.",
        "Splitting the work by module worked well, and short daily meetings kept everyone informed.",
    ]),
];

/// Filler any prose answer may use. No digits or number words, so it never blurs a stated fact.
pub(super) const GENERIC: &[&str] = &[
    "This turned out to be among the more useful habits we picked up in the course.",
    "In hindsight we would have set this up earlier in the project.",
    "It took some trial and error, but once it worked we rarely had to touch it again.",
    "We documented the steps in our README so that the whole group could follow them.",
    "Overall we are happy with how this part of the project turned out.",
    "Most of this was set up early and refined later.",
    "Looking back, the time spent here paid for itself several times over.",
    "We discussed this as a group before deciding on the approach.",
    "There is still room for improvement here, but it served our needs for the project.",
    "This was new to most of us, so the course material was a big help.",
    "The main benefit was that everyone in the group worked in the same way.",
    "We kept the setup as simple as possible so that it was easy to maintain.",
    "A few things broke along the way, but the fixes were usually small.",
    "This also made it easier to review each other's work.",
    "If we were to start again, we would automate even more of this.",
    "It was not always smooth, but it taught us a lot about working as a team on shared code.",
    "We tried to follow the practices from the lectures as closely as time allowed.",
    "Small, frequent changes worked much better for us than large ones.",
    "The exercises from the course gave us a good starting point that we adapted to our project.",
    "Our teaching assistant gave us useful feedback on this halfway through.",
    "Getting this right early saved us from many confusing errors later.",
    "We wrote down what we learned so the next step went faster.",
    "It is not the most elegant solution, but it is robust and easy to understand.",
    "This part grew over time as we found out what we actually needed.",
    "We made sure that every member could run and change this part without help.",
];

/// Sentences with an em dash and a curly apostrophe, for the mojibake quirk.
pub(super) const MOJIBAKE_SENTENCES: &[&str] = &[
    "The hardest part \u{2014} by some margin \u{2014} was the cloud setup, and we\u{2019}re still not sure we did it the intended way.",
    "It wasn\u{2019}t perfect \u{2014} far from it \u{2014} but it worked when it mattered.",
];

/// Answers the mojibake quirk may hit: prose without facts.
pub(super) const MOJIBAKE_KEYS: &[AnswerKey] =
    &[K::Structure, K::Branches, K::Reproducibility, K::Debugging, K::Architecture, K::Struggles];

/// The pipeline as the architecture answer walks through it, in order.
#[rustfmt::skip]
pub(super) const ARCHITECTURE_STEPS: &[(When, &str)] = &[
    (ALWAYS, "The diagram starts on our own machines, where we develop the code in the cookiecutter structure and manage packages with {env}."),
    (did(&[C::PreCommit]), "Before each commit, pre-commit hooks format and lint the code."),
    (did(&[C::Ci]), "A push to GitHub starts GitHub Actions, which runs the tests and the code checks."),
    (did(&[C::DataVersioning, C::GcpBucket]), "Data is versioned with dvc and stored in a Cloud Storage bucket."),
    (did_not(&[C::DataVersioning], &[C::GcpBucket]), "Data is versioned with dvc, with a shared drive as the remote."),
    (did_not(&[C::GcpBucket], &[C::DataVersioning]), "The data sits in a Cloud Storage bucket."),
    (did(&[C::BuildTrigger]), "Merging to main triggers Cloud Build, which builds our images and pushes them to the Artifact Registry."),
    (did(&[C::CloudTraining]), "Training runs as a Vertex AI job that pulls the data from the bucket and saves the model back."),
    (did(&[C::Wandb]), "Metrics from every run go to Weights & Biases."),
    (did(&[C::CloudDeploy]), "The API image is deployed on Cloud Run, where users send their requests."),
    (did_not(&[C::Fastapi], &[C::CloudDeploy]), "The API runs locally from the same image."),
    (did(&[C::Frontend]), "A streamlit frontend sits in front of the API."),
    (did(&[C::CloudMonitoring]), "Cloud Monitoring watches the service and raises alerts."),
];

/// GCP services a group lists: (when, name, what it did for them).
#[rustfmt::skip]
pub(super) const SERVICES: &[(When, &str, &str)] = &[
    (ALWAYS, "Compute Engine", "virtual machines for training and experiments"),
    (did(&[C::GcpBucket]), "Cloud Storage", "a bucket for our data and trained models"),
    (did(&[C::BuildTrigger]), "Cloud Build", "builds our images from the repository"),
    (did(&[C::BuildTrigger]), "Artifact Registry", "stores the built images"),
    (did(&[C::CloudTraining]), "Vertex AI", "runs the training jobs"),
    (did(&[C::CloudDeploy]), "Cloud Run", "hosts the API"),
    (did(&[C::CloudMonitoring]), "Cloud Monitoring", "dashboards and alerts for the deployed service"),
];

pub(super) const SERVICES_INTRO: &[&str] = &[
    "We used the following services:",
    "These are the GCP services we made use of:",
    "Our project relied on these services:",
];

/// The costliest service a group names, with why: (when, service, reason).
#[rustfmt::skip]
pub(super) const EXPENSIVE: &[(When, &str, &str)] = &[
    (ALWAYS, "Compute Engine", "because we forgot to stop a VM over a weekend"),
    (did(&[C::CloudTraining]), "Vertex AI", "since every training job starts a GPU machine"),
    (did(&[C::CloudDeploy]), "Cloud Run", "because we kept an instance warm to avoid slow cold starts"),
    (did(&[C::GcpBucket]), "Cloud Storage", "because of the many copies of our data we kept around"),
];

pub(super) const EXPENSIVE_FORMS: &[&str] = &[
    "The most expensive service was {svc}, {why}.",
    "{svc} was by far our most expensive service, {why}.",
    "Most of the money went to {svc}, {why}.",
];

/// Contribution tasks: (when, what someone did).
#[rustfmt::skip]
pub(super) const TASKS: &[(When, &str)] = &[
    (ALWAYS, "set up the cookiecutter project and the repository"),
    (ALWAYS, "worked on the model and the training loop"),
    (ALWAYS, "handled data loading and preprocessing"),
    (ALWAYS, "wrote most of this report"),
    (did(&[C::Dockerfiles]), "wrote the docker files"),
    (did(&[C::Fastapi]), "built the API"),
    (did(&[C::CloudTraining]), "moved training to the cloud"),
    (did(&[C::Ci]), "set up the continuous integration"),
    (did(&[C::Wandb]), "set up experiment tracking"),
    (did(&[C::CloudDeploy]), "deployed the model"),
    (did(&[C::DataVersioning]), "set up data version control"),
    (any(&[C::TestsData, C::TestsModel]), "wrote the unit tests"),
    (did(&[C::SystemMetrics]), "added monitoring"),
];

pub(super) const CONTRIBUTION_CLOSINGS: &[&str] = &[
    "All members contributed to the code and reviewed each other's pull requests.",
    "Everyone took part in debugging and in writing this report.",
    "We met most days and decided on the bigger design questions together.",
];

pub(super) const AI_USE: &[&str] = &[
    "We used ChatGPT to help understand error messages and GitHub Copilot for some boilerplate code.",
    "Generative AI tools were used for debugging help and for polishing the wording of this report, and all generated code was reviewed before merging.",
    "We used Copilot in our editors; it was most helpful for writing tests and docstrings.",
    "We did not use generative AI tools beyond occasional questions to ChatGPT about error messages.",
];

// Fact phrasings. `{n}`/`{N}`: a count (digits or words, `{N}` at a sentence start), `{p}`: a percentage,
// `{a}`: an amount.
pub(super) const GROUP_FORMS: &[&str] = &["{g}", "Group {g}", "We are group {g}.", "MLOps {g}", "Group number: {g}", "Group {g2}"];

pub(super) const TEST_COUNT: &[&str] = &[
    "In total we wrote {n} tests.",
    "We implemented {n} tests in total.",
    "Our test suite consists of {n} unit tests.",
    "All in all we ended up with **{n} tests**.",
    "{N} tests are implemented at the moment.",
];

pub(super) const COVERAGE_TOTAL: &[&str] = &[
    "Our total code coverage is {p}%.",
    "The coverage report gives a total of {p}% over the source code.",
    "We reach {p} % coverage over the whole code base.",
    "Overall our code coverage is {p} percent.",
    "Running the tests with coverage gives a total of {p}%.",
];

/// The prompt invites this; real answers say it a lot, and it must not be read as the total.
pub(super) const COVERAGE_HYPOTHETICAL: &str = "Even at 100% coverage we would not call the code error free, since coverage only \
says which lines ran, not whether their results were right.";

pub(super) const CREDITS_USD: &[&str] = &[
    "In total we spent ${a} worth of credits.",
    "We used {a} USD of credits during the project.",
    "Our bill came to ${a} in total.",
    "We were surprised to see that we only used about ${a} in credits.",
];
pub(super) const CREDITS_DKK: &[&str] =
    &["We spent {a} DKK in total.", "The project cost us about {a} DKK of credits altogether."];
pub(super) const CREDITS_EUR: &[&str] = &["Our total spending was \u{20AC}{a}.", "In total we used {a} EUR."];
pub(super) const CREDITS_PLAIN: &[&str] = &["We used {a} credits in total.", "Altogether {a} credits were spent."];
pub(super) const CREDITS_UNSTATED: &[&str] = &[
    "We stayed well inside the free credits and never checked the exact amount.",
    "We did not keep track of the exact amount we spent.",
];
