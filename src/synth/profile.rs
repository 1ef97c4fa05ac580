//! What groups did: per-item completion rates, prerequisites, and the conditions sentence blocks apply under.

use super::*;

/// How often groups complete each item: week-1 basics nearly always, week-3 items rarely.
#[rustfmt::skip]
pub(super) const COMPLETION: &[(ChecklistId, f64)] = &[
    (C::GitRepo, 0.99), (C::WriteAccess, 0.97), (C::Environment, 0.93), (C::Cookiecutter, 0.9),
    (C::DataScript, 0.9), (C::ModelTrain, 0.95), (C::Requirements, 0.9), (C::Pep8, 0.8), (C::TypingDocs, 0.7),
    (C::DataVersioning, 0.7), (C::Cli, 0.6), (C::Dockerfiles, 0.85), (C::DockerBuild, 0.8), (C::ConfigFiles, 0.8),
    (C::Hydra, 0.6), (C::Profiling, 0.45), (C::Logging, 0.6), (C::Wandb, 0.75), (C::Sweep, 0.35),
    (C::Lightning, 0.4), (C::TestsData, 0.8), (C::TestsModel, 0.75), (C::Coverage, 0.65), (C::Ci, 0.85),
    (C::CiMatrixCaching, 0.45), (C::CiLinting, 0.55), (C::PreCommit, 0.45), (C::CmlDataTrigger, 0.12),
    (C::CmlRegistryTrigger, 0.1), (C::GcpBucket, 0.8), (C::BuildTrigger, 0.65), (C::CloudTraining, 0.55),
    (C::Fastapi, 0.8), (C::Torchserve, 0.1), (C::CloudDeploy, 0.6), (C::ApiTests, 0.5), (C::LoadTest, 0.35),
    (C::OnnxBentoml, 0.2), (C::Frontend, 0.4), (C::DriftRobustness, 0.3), (C::IoCollection, 0.2),
    (C::DriftApi, 0.15), (C::SystemMetrics, 0.3), (C::CloudMonitoring, 0.3), (C::Alerts, 0.15),
    (C::DistributedData, 0.15), (C::DistributedTraining, 0.1), (C::Quantization, 0.12), (C::DocsWrite, 0.35),
    (C::DocsPublish, 0.2), (C::Revisit, 0.6), (C::ArchitectureDiagram, 0.75), (C::Understanding, 0.85),
    (C::UploadCode, 0.9),
];

/// (item, prerequisite): nobody builds images without docker files. Prerequisites come first in chains, so one
/// pass settles them.
#[rustfmt::skip]
pub(super) const REQUIRES: &[(ChecklistId, ChecklistId)] = &[
    (C::DockerBuild, C::Dockerfiles), (C::BuildTrigger, C::Dockerfiles), (C::Hydra, C::ConfigFiles),
    (C::Sweep, C::Wandb), (C::Coverage, C::TestsData), (C::CiMatrixCaching, C::Ci), (C::CiLinting, C::Ci),
    (C::CmlDataTrigger, C::Ci), (C::CmlRegistryTrigger, C::Ci), (C::CloudTraining, C::Dockerfiles),
    (C::CloudDeploy, C::Dockerfiles), (C::ApiTests, C::Fastapi), (C::LoadTest, C::Fastapi),
    (C::OnnxBentoml, C::Fastapi), (C::Frontend, C::Fastapi), (C::SystemMetrics, C::Fastapi),
    (C::CloudMonitoring, C::CloudDeploy), (C::Alerts, C::CloudMonitoring), (C::IoCollection, C::CloudDeploy),
    (C::DriftApi, C::DriftRobustness), (C::DocsPublish, C::DocsWrite),
];

/// What a group did, indexed by `ChecklistId as usize`.
#[derive(Debug, Clone)]
pub(super) struct Profile(Vec<bool>);

impl Profile {
    pub(super) fn draw(rng: &mut Rng) -> Profile {
        // A group's diligence bends every rate the same way, p^e: near-certain items stay near-certain while rare
        // ones spread out between groups. Only products and square roots, which IEEE rounds exactly, so the
        // profile is the same on every platform.
        let exponent = rng.below(5);
        let mut done = vec![false; ChecklistId::ALL.len()];
        for &(id, rate) in COMPLETION {
            let root = rate.sqrt();
            let p = match exponent {
                0 => rate * rate,
                1 => rate * root,
                2 => rate,
                3 => root * root.sqrt(),
                _ => root,
            };
            done[id as usize] = rng.chance(p);
        }
        for &(id, pre) in REQUIRES {
            if !done[pre as usize] {
                done[id as usize] = false;
            }
        }
        Profile(done)
    }

    pub(super) fn did(&self, id: ChecklistId) -> bool {
        self.0[id as usize]
    }

    pub(super) fn holds(&self, w: &When) -> bool {
        w.did.iter().all(|&id| self.did(id))
            && !w.not.iter().any(|&id| self.did(id))
            && (w.any.is_empty() || w.any.iter().any(|&id| self.did(id)))
    }

    pub(super) fn done_ids(&self) -> Vec<ChecklistId> {
        ChecklistId::ALL.iter().copied().filter(|&id| self.did(id)).collect()
    }
}

/// When a block of sentences applies: every `did` item done, no `not` item done, and one of `any` (if given).
#[derive(Debug, Clone, Copy)]
pub(super) struct When {
    pub(super) did: &'static [ChecklistId],
    pub(super) not: &'static [ChecklistId],
    pub(super) any: &'static [ChecklistId],
}

pub(super) const ALWAYS: When = When { did: &[], not: &[], any: &[] };

pub(super) const fn did(ids: &'static [ChecklistId]) -> When {
    When { did: ids, not: &[], any: &[] }
}

pub(super) const fn not(ids: &'static [ChecklistId]) -> When {
    When { did: &[], not: ids, any: &[] }
}

pub(super) const fn did_not(did: &'static [ChecklistId], not: &'static [ChecklistId]) -> When {
    When { did, not, any: &[] }
}

pub(super) const fn any(ids: &'static [ChecklistId]) -> When {
    When { did: &[], not: &[], any: ids }
}
